package org.jsplice.jna;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
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
}
