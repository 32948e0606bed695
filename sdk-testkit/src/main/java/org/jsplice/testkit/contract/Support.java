package org.jsplice.testkit.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jsplice.Errno;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeOption;
import org.jsplice.PipeSource;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.PipeArbitraries;
import org.opentest4j.TestAbortedException;

/** What the contract's properties share: memory with known content, pipes, checks. */
final class Support {
    /** Memory with known content, one block per provider class, kept for the life of the test JVM. */
    static final class Memory {
        final NativeBuffer buffer;
        final byte[] content;

        Memory(NativeBuffer buffer, byte[] content) {
            this.buffer = buffer;
            this.content = content;
        }
    }

    private static final Map<Class<?>, Memory> MEMORY = new ConcurrentHashMap<>();

    private Support() {
    }

    static Memory memory(PipeProvider provider) {
        return MEMORY.computeIfAbsent(provider.getClass(), c -> {
            byte[] content = new byte[(int) PipeArbitraries.MEMORY];
            new Random(0x5EED).nextBytes(content);
            try {
                NativeBuffer buffer = provider.allocate(content.length, false);
                buffer.asByteBuffer().put(content);
                return new Memory(buffer, content);
            } catch (IOException e) {
                throw new IllegalStateException("the provider could not allocate " + content.length + " bytes", e);
            }
        });
    }

    /** A new blocking pipe; 1 MiB where the provider can resize, so that layouts fit without waiting. */
    static Pipe roomyPipe(ContractHook hook, PipeProvider provider) throws IOException {
        Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class));
        if (hook.capabilities().contains(Capability.RESIZE)) {
            pipe.sink().capacity(1 << 20);
        }
        return pipe;
    }

    /** Skips the property, saying what it needs, unless {@code available}. */
    static void skipUnless(boolean available, String needs) {
        if (!available) {
            throw new TestAbortedException("skipped: needs " + needs);
        }
    }

    static void check(boolean ok, Supplier<String> message) {
        if (!ok) {
            throw new AssertionError(message.get());
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs the call and demands a {@link PipeException} with {@code errno}. */
    static PipeException expectErrno(Errno errno, String rule, Call call) throws Exception {
        try {
            call.run();
        } catch (PipeException e) {
            check(e.errno() == errno, () -> rule + ": expected " + errno + " but got " + e.errno() + ": " + e.getMessage());
            return e;
        }
        throw new AssertionError(rule + ": expected PipeException(" + errno + ") but the call succeeded");
    }

    /**
     * Reads {@code n} bytes that must already be in the pipe: a provider that reported more than it
     * moved fails here instead of leaving the reader waiting forever.
     */
    static byte[] read(PipeSource source, int n) throws IOException {
        int queued = source.queued();
        check(queued >= n, () -> "the call reported " + n + " bytes but the pipe holds only " + queued);
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(n, 1));
        buf.limit(n);
        while (buf.hasRemaining()) {
            int left = source.queued();
            int arrived = buf.position();
            check(left > 0, () -> "the pipe ran dry after " + arrived + " of the " + n + " bytes it held");
            if (source.read(buf) < 0) {
                break;
            }
        }
        buf.flip();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    /**
     * Runs a call of a capability the provider does not declare: it must throw {@link
     * UnsupportedOperationException}, and then {@code unchanged} must hold.
     */
    static void expectUnsupported(String what, Call call, Call unchanged) throws Exception {
        try {
            call.run();
        } catch (UnsupportedOperationException expected) {
            unchanged.run();
            return;
        }
        throw new AssertionError(what + " is declared unsupported but succeeded");
    }

    /** Puts {@code n} bytes of the known content, from {@code offset} on, into an empty pipe. */
    static void put(Pipe pipe, Memory memory, int offset, int n) throws IOException {
        if (n > 0) {
            pipe.sink().vmspliceFully(java.util.List.of(memory.buffer.slice(offset, n)));
        }
    }

    /** Reads until end of stream or until {@code n} bytes arrived. */
    static byte[] readUpTo(PipeSource source, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && source.read(buf) >= 0) {
            // until full or end of stream
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** A scratch directory, deleted with what it holds when closed. */
    static final class Scratch implements AutoCloseable {
        final Path dir;

        Scratch() throws IOException {
            dir = Files.createTempDirectory("jsplice-contract");
        }

        @Override
        public void close() throws IOException {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    static void needProcfs() {
        skipUnless(Files.isDirectory(Path.of("/proc/self/fd")),
                "/proc/self/fd (Linux procfs) to find descriptor numbers; mount procfs to run it");
    }

    /** Compares and, on a difference, says where. */
    static void checkSameBytes(byte[] expected, byte[] got, String rule) {
        if (!Arrays.equals(expected, got)) {
            int at = Arrays.mismatch(expected, got);
            throw new AssertionError(rule + ": received " + got.length + " bytes, expected " + expected.length
                    + "; first difference at byte " + at);
        }
    }
}
