package org.jsplice.jna;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;

/**
 * The write end of a pipe. Thread-safe; see {@link PipeSink} for the descriptor's ownership and the
 * close protocol.
 */
final class JnaPipeSink extends JnaPipeEnd implements PipeSink {
    /** How long a non-blocking {@link #vmspliceFully} waits in poll(2) before it looks for close(). */
    private static final int POLL_SLICE_MILLIS = 100;

    JnaPipeSink(JnaPipeProvider provider, int fd, boolean owned) {
        super(provider, fd, owned, true);
    }

    @Override
    public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return vmspliceOnce(segments, flags, true);
    }

    @Override
    public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return fully(segments, flags, false);
    }

    @Override
    public long writeFully(List<? extends IoVec> segments) throws IOException {
        return fully(segments, NO_FLAGS, true);
    }

    /** The loop behind both: {@code vmsplice(2)}, or {@code writev(2)} when {@code copy}. */
    private long fully(List<? extends IoVec> segments, SpliceFlag[] flags, boolean copy) throws IOException {
        handle.acquire();
        try {
            long total = validate(segments, flags, false);
            checkDirection(segments.size(), flags);
            if (total == 0) {
                return 0;
            }
            boolean nonblock = SpliceFlag.contains(flags, SpliceFlag.NONBLOCK);
            int n = segments.size();
            int iovMax = provider.iovMax();
            lock.lock();
            try {
                int index = 0;
                long skip = 0;
                long remaining = total;
                while (remaining > 0) {
                    // The kernel returns 0 for a batch that starts with empty segments; never send one.
                    while (segments.get(index).length() == skip) {
                        index++;
                        skip = 0;
                    }
                    if (!handle.isOpen()) {
                        throw new AsynchronousCloseException();
                    }
                    int count = Math.min(n - index, iovMax);
                    long r = copy ? writevBatch(segments, index, count, skip)
                            : vmspliceBatch(segments, index, count, skip, flags, true);
                    if (r > 0) {
                        remaining -= r;
                        skip += r;
                        while (index < n && skip >= segments.get(index).length()) {
                            skip -= segments.get(index).length();
                            index++;
                        }
                    } else if (r == -LibC.EAGAIN && nonblock) {
                        poll(LibC.POLLOUT, POLL_SLICE_MILLIS);
                    }
                    // 0 or -EINTR: nothing moved; try again.
                }
                return total;
            } finally {
                lock.unlock();
            }
        } finally {
            handle.release();
        }
    }

    @Override
    public int capacity(int bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: bytes=" + bytes);
        }
        handle.acquire();
        try {
            int r = LibC.fcntl(fd, LibC.F_SETPIPE_SZ, bytes);
            if (r < 0) {
                throw new PipeException("fcntl(fd=" + fd + ", F_SETPIPE_SZ, " + bytes + ")", LibC.errno());
            }
            return r;
        } finally {
            handle.release();
        }
    }
}
