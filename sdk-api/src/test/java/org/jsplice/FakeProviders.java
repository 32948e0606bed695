package org.jsplice;

import java.nio.ByteBuffer;
import java.util.Set;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;

/** Providers that only answer the discovery questions, listed in service files the tests write. */
public final class FakeProviders {
    private FakeProviders() {
    }

    /** Answers discovery; every factory is unsupported. */
    public abstract static class Base implements PipeProvider {
        private final String name;
        private final int priority;
        private final Throwable cause;

        Base(String name, int priority, Throwable cause) {
            this.name = name;
            this.priority = priority;
            this.cause = cause;
        }

        @Override public String name() { return name; }
        @Override public int priority() { return priority; }
        @Override public boolean isAvailable() { return cause == null; }
        @Override public Throwable unavailabilityCause() { return cause; }
        @Override public boolean isZeroCopy() { return true; }
        @Override public int iovMax() { return 1024; }
        @Override public long pageSize() { return 4096; }
        @Override public Pipe open(Set<PipeOption> options) { throw new UnsupportedOperationException(); }
        @Override public PipeSink sink(int fd, boolean owned) { throw new UnsupportedOperationException(); }
        @Override public PipeSource source(int fd, boolean owned) { throw new UnsupportedOperationException(); }
        @Override public FileType fileType(int fd) { throw new UnsupportedOperationException(); }
        @Override public void mkfifo(java.nio.file.Path path, int mode) { throw new UnsupportedOperationException(); }
        @Override public PipeSink openFifoSink(java.nio.file.Path path, java.time.Duration t) { throw new UnsupportedOperationException(); }
        @Override public PipeSource openFifoSource(java.nio.file.Path path, java.time.Duration t) { throw new UnsupportedOperationException(); }
        @Override public NativeFile openFile(java.nio.file.Path path, Set<? extends java.nio.file.OpenOption> options) {
            throw new UnsupportedOperationException();
        }
        @Override public NativeBuffer allocate(long size, boolean hugePages) { throw new UnsupportedOperationException(); }
        @Override public long address(ByteBuffer direct) { throw new UnsupportedOperationException(); }
    }

    public static final class Low extends Base {
        public Low() { super("low", 1, null); }
    }

    public static final class High extends Base {
        public High() { super("high", 10, null); }
    }

    /** Same priority as {@link High}: the tie is broken by name. */
    public static final class HighToo extends Base {
        public HighToo() { super("high-too", 10, null); }
    }

    public static final class Unavailable extends Base {
        public Unavailable() { super("unavailable", 1000, new UnsupportedOperationException("needs a kernel from the future")); }
    }

    public static final class ThrowsInConstructor extends Base {
        public ThrowsInConstructor() {
            super("never", 2000, null);
            throw new IllegalStateException("constructor exploded");
        }
    }

    public static final class ThrowsWhenProbed extends Base {
        public ThrowsWhenProbed() { super("probe", 3000, null); }

        @Override
        public boolean isAvailable() {
            throw new IllegalStateException("probe exploded");
        }
    }

    /** The lowest priority; records whether discovery probed it, as a provider's probe loads its binding. */
    public static final class Watched extends Base {
        static final java.util.concurrent.atomic.AtomicInteger PROBES = new java.util.concurrent.atomic.AtomicInteger();

        public Watched() { super("watched", 0, null); }

        @Override
        public boolean isAvailable() {
            PROBES.incrementAndGet();
            return true;
        }
    }

    /** As JNA is under {@code --illegal-native-access=deny}: its class initializer fails. */
    public static final class InitializerFails extends Base {
        public InitializerFails() { super("initializer", 5000, null); }

        @Override
        public boolean isAvailable() {
            throw new ExceptionInInitializerError(
                    new IllegalCallerException("Illegal native access from an unnamed module (file:/x/jna.jar)"));
        }
    }
}
