package org.jsplice.spi;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;

/**
 * A file from {@code open(2)} over a provider's {@link RawCalls}; owns its descriptor, which a
 * {@link java.lang.ref.Cleaner} closes should the file be dropped without {@link #close()}.
 * Thread-safe.
 */
public final class NativeFileCore implements NativeFile, HasDescriptor {
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;

    private final int fd;
    private final String path;
    private final DescriptorHandle handle;
    /** Closes the descriptor of a file dropped without {@link #close()}. */
    private final java.lang.ref.Cleaner.Cleanable cleanable;

    private NativeFileCore(RawCalls raw, int fd, String path) {
        this.fd = fd;
        this.path = path;
        this.handle = new DescriptorHandle(fd, () -> Math.max(0, -raw.close(fd)));
        this.cleanable = org.jsplice.internal.Cleaners.CLEANER.register(this, handle::closeDropped);
    }

    /**
     * Opens {@code path} with the options, as {@code Files.newByteChannel} reads them, and {@code O_CLOEXEC}.
     *
     * @param raw the provider's calls
     * @param path the file
     * @param options {@link java.nio.file.StandardOpenOption}s
     * @return the file
     * @throws IOException if {@code open(2)} fails, naming the errno
     */
    public static NativeFileCore open(RawCalls raw, Path path, Set<? extends OpenOption> options) throws IOException {
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        int flags = PipeEndCore.O_CLOEXEC | (write ? (read ? O_RDWR : PipeEndCore.O_WRONLY) : PipeEndCore.O_RDONLY);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.APPEND) {
                flags |= O_APPEND;
            } else if (o == StandardOpenOption.CREATE) {
                flags |= O_CREAT;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                flags |= O_CREAT | O_EXCL;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                flags |= O_TRUNC;
            } else if (o != StandardOpenOption.READ && o != StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("open option not supported here: " + o);
            }
        }
        String p = path.toString();
        int fd = raw.open(p, flags, 0666);
        if (fd < 0) {
            throw new PipeException("open(path=" + p + ", options=" + options + ")", -fd);
        }
        return new NativeFileCore(raw, fd, p);
    }

    @Override
    public int fd() throws ClosedChannelException {
        if (!handle.isOpen()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    @Override
    public DescriptorHandle descriptor() {
        return handle;
    }

    @Override
    public boolean isOpen() {
        return handle.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            handle.close();
        } finally {
            cleanable.clean();
        }
    }

    @Override
    public String toString() {
        return "NativeFile[" + path + ", fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
