package org.jsplice.jna;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.spi.DescriptorHandle;
import org.jsplice.spi.HasDescriptor;

/** A file from {@code open(2)}; owns its descriptor. Thread-safe as {@link NativeFile} states. */
final class JnaNativeFile implements NativeFile, HasDescriptor {
    private final int fd;
    private final String path;
    private final DescriptorHandle handle;

    private JnaNativeFile(int fd, String path) {
        this.fd = fd;
        this.path = path;
        this.handle = new DescriptorHandle(fd, () -> LibC.close(fd) == 0 ? 0 : LibC.errno());
    }

    static JnaNativeFile open(Path path, Set<? extends OpenOption> options) throws IOException {
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        int flags = LibC.O_CLOEXEC | (write ? (read ? LibC.O_RDWR : LibC.O_WRONLY) : LibC.O_RDONLY);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.APPEND) {
                flags |= LibC.O_APPEND;
            } else if (o == StandardOpenOption.CREATE) {
                flags |= LibC.O_CREAT;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                flags |= LibC.O_CREAT | LibC.O_EXCL;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                flags |= LibC.O_TRUNC;
            } else if (o != StandardOpenOption.READ && o != StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("open option not supported here: " + o);
            }
        }
        String p = path.toString();
        int fd = LibC.open(p, flags, 0666);
        if (fd < 0) {
            throw new PipeException("open(path=" + p + ", options=" + options + ")", LibC.errno());
        }
        return new JnaNativeFile(fd, p);
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
        handle.close();
    }

    @Override
    public String toString() {
        return "JnaNativeFile[" + path + ", fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
