package org.jsplice.jna;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.SpliceFlag;

/**
 * The read end of a pipe. Thread-safe; see {@link PipeSource} for the descriptor's ownership and
 * the close protocol.
 */
final class JnaPipeSource extends JnaPipeEnd implements PipeSource {

    JnaPipeSource(JnaPipeProvider provider, int fd, boolean owned) {
        super(provider, fd, owned, false);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        handle.acquire();
        try {
            int wanted = dst.remaining();
            if (wanted == 0) {
                return 0;
            }
            if (dst.isReadOnly()) {
                throw new IllegalArgumentException("read-only buffer");
            }
            for (;;) {
                long r;
                if (dst.isDirect()) {
                    r = LibC.read(fd, provider.address(dst) + dst.position(), wanted);
                } else {
                    // A heap array can move during the call: read into native memory, then copy.
                    lock.lock();
                    try {
                        r = LibC.read(fd, iovAddress, Math.min(wanted, iovView.capacity()));
                        if (r > 0) {
                            dst.put(dst.position(), iovView, 0, (int) r);
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                if (r > 0) {
                    dst.position(dst.position() + (int) r);
                    return (int) r;
                }
                if (r == 0) {
                    return -1;
                }
                int errno = LibC.errno();
                if (errno == LibC.EAGAIN) {
                    return 0;
                }
                if (errno != LibC.EINTR) {
                    throw new PipeException("read(fd=" + fd + ", count=" + wanted + ")", errno);
                }
            }
        } finally {
            handle.release();
        }
    }

    @Override
    public long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException {
        return vmspliceOnce(into, flags, false);
    }

    @Override
    public long splice(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        JnaPipeEnd end = sameProvider(target);
        return transfer(false, end.handle, end.fd, -1, length, flags);
    }

    @Override
    public long splice(int fd, long length, SpliceFlag... flags) throws IOException {
        return transfer(false, null, fd, -1, length, flags);
    }

    @Override
    public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        if (!(file instanceof JnaNativeFile)) {
            throw new IllegalArgumentException("not a file of this provider: " + file);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: offset=" + offset);
        }
        JnaNativeFile f = (JnaNativeFile) file;
        return transfer(false, f.handle, f.handle.fd(), offset, length, flags);
    }

    @Override
    public long tee(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        JnaPipeEnd end = sameProvider(target);
        return transfer(true, end.handle, end.fd, -1, length, flags);
    }

    private static JnaPipeEnd sameProvider(PipeSink target) {
        if (!(target instanceof JnaPipeSink)) {
            throw new IllegalArgumentException("not a sink of this provider: " + target);
        }
        return (JnaPipeEnd) target;
    }

    /**
     * One splice(2) or tee(2) to {@code out}, holding both descriptors open for the call.
     *
     * @param target the handle of the output descriptor when jsplice owns it, else null
     * @param offset the output offset, or -1 for none
     */
    private long transfer(boolean tee, FdHandle target, int out, long offset, long length, SpliceFlag[] flags)
            throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        for (SpliceFlag f : flags) {
            Objects.requireNonNull(f, "flags must not contain null");
        }
        handle.acquire();
        try {
            if (target != null) {
                target.acquire();
            }
            try {
                if (length == 0) {
                    return 0;
                }
                int bits = SpliceFlag.bits(flags);
                long r;
                if (tee) {
                    r = LibC.tee(fd, out, length, bits);
                } else if (offset < 0) {
                    r = LibC.splice(fd, 0, out, 0, length, bits);
                } else {
                    lock.lock();
                    try {
                        setOffset(offset);
                        r = LibC.splice(fd, 0, out, offsetAddress, length, bits);
                    } finally {
                        lock.unlock();
                    }
                }
                if (r > 0) {
                    return r;
                }
                if (r == 0) {
                    return -1;
                }
                int errno = LibC.errno();
                if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                    return 0;
                }
                throw new PipeException((tee ? "tee" : "splice") + "(fd_in=" + fd + ", fd_out=" + out
                        + (offset >= 0 ? ", off_out=" + offset : "") + ", len=" + length + ", flags=" + flagSet(flags) + ")", errno);
            } finally {
                if (target != null) {
                    target.release();
                }
            }
        } finally {
            handle.release();
        }
    }
}
