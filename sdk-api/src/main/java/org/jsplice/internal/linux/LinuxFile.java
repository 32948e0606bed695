package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.O_APPEND;
import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.O_CREAT;
import static org.jsplice.internal.linux.Linux.O_EXCL;
import static org.jsplice.internal.linux.Linux.O_RDONLY;
import static org.jsplice.internal.linux.Linux.O_RDWR;
import static org.jsplice.internal.linux.Linux.O_TRUNC;
import static org.jsplice.internal.linux.Linux.O_WRONLY;
import static org.jsplice.internal.linux.Linux.STATX_MODE_OFFSET;
import static org.jsplice.internal.linux.Linux.STATX_SIZE;
import static org.jsplice.internal.linux.Linux.STATX_TYPE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.spi.FileType;
import org.jsplice.spi.SystemCalls;

/**
 * A file from {@code open(2)} over a provider's {@link SystemCalls}; owns its descriptor, which a
 * {@link java.lang.ref.Cleaner} closes should the file be dropped without {@link #close()}.
 * Thread-safe.
 */
public final class LinuxFile implements NativeFile, HasDescriptor {

    private final int fd;
    private final String path;
    private final DescriptorHandle handle;
    /** Closes the descriptor of a file dropped without {@link #close()}. */
    private final java.lang.ref.Cleaner.Cleanable cleanable;

    private LinuxFile(SystemCalls raw, int fd, String path) {
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
    public static LinuxFile open(SystemCalls raw, Path path, Set<? extends OpenOption> options) throws IOException {
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        int flags = O_CLOEXEC | (write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY);
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
        return new LinuxFile(raw, fd, p);
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

    /** {@code statx(2)}'s answer to what {@code fd} is, through {@code raw}. */
    public static FileType typeOf(SystemCalls raw, int fd) throws PipeException {
        ByteBuffer statx = raw.allocate(STATX_SIZE);
        try {
            int r = raw.statx(fd, STATX_TYPE, raw.address(statx));
            if (r < 0) {
                throw new PipeException("statx(fd=" + fd + ", AT_EMPTY_PATH, STATX_TYPE)", -r);
            }
            return FileType.ofMode(statx.getShort(STATX_MODE_OFFSET) & 0xFFFF);
        } finally {
            raw.free(statx);
        }
    }
}
