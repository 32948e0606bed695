package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;
import static org.jsplice.internal.linux.Linux.O_RDONLY;
import static org.jsplice.internal.linux.Linux.O_WRONLY;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.RWF_NOWAIT;

import org.jsplice.Errno;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.FileType;

/**
 * How one end copies its iovec array where zero-copy is off ({@code vmsplice} refused, or a
 * {@code writeFully}): one non-blocking {@code pwritev2}/{@code preadv2}, found out on first use
 * and kept. The ways, tried in this order:
 * <ol>
 *   <li>{@code RWF_NOWAIT} on the end's own descriptor (Linux 5.x and later for pipes);</li>
 *   <li>where that is refused ({@code EOPNOTSUPP}), a twin descriptor opened non-blocking through
 *       {@code /proc/self/fd}, so that the caller's descriptor keeps its own flags;</li>
 *   <li>where no twin can be opened, {@code poll} first and at most one page per write, which one
 *       free slot always takes.</li>
 * </ol>
 * Before its first copy it checks that the descriptor is a pipe: {@code vmsplice} refuses anything
 * else with {@code EBADF}, and a copy must not write into a file or a socket instead.
 * Under the end's transfer lock.
 */
final class CopyPath {
    private enum Way { UNCHECKED, NOWAIT, TWIN, POLL_FIRST }

    private final LinuxPipeEnd end;
    private Way way = Way.UNCHECKED;

    CopyPath(LinuxPipeEnd end) {
        this.end = end;
    }

    /**
     * One copy over the end's iovec array.
     *
     * @return the bytes moved, or {@code -EAGAIN}, or {@code -EINTR}
     * @throws PipeException for any other failure
     */
    long once(int count, SpliceFlag[] flagsForMessage) throws PipeException {
        String call = end.write ? "pwritev2" : "preadv2";
        if (way == Way.UNCHECKED) {
            FileType type = LinuxFile.typeOf(end.raw, end.fd);
            if (type != FileType.FIFO) {
                throw new PipeException(end.describe(call, count, flagsForMessage), Errno.EBADF.code(),
                        "the descriptor is " + type.description() + ", not a pipe");
            }
            way = Way.NOWAIT;
        }
        if (way == Way.NOWAIT) {
            long r = copy(end.fd, count, RWF_NOWAIT);
            if (r != -Errno.EOPNOTSUPP.code()) {
                return r >= 0 ? r : end.againOr((int) -r, call, count, flagsForMessage);
            }
            int twin = end.raw.open("/proc/self/fd/" + end.fd, (end.write ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_CLOEXEC, 0);
            end.resources.twinFd = twin >= 0 ? twin : -2; // closed with the end
            way = twin >= 0 ? Way.TWIN : Way.POLL_FIRST;
        }
        if (way == Way.TWIN) {
            long r = copy(end.resources.twinFd, count, 0);
            return r >= 0 ? r : end.againOr((int) -r, call, count, flagsForMessage);
        }
        end.pollfd(0, end.fd, end.write ? POLLOUT : POLLIN);
        if (end.raw.poll(end.scratch.pollfds(), 1, 0) == 0) {
            return -Errno.EAGAIN.code();
        }
        if (end.write) {
            count = clamp(count, end.pageSize);
        }
        long r = copy(end.fd, count, 0);
        return r >= 0 ? r : end.againOr((int) -r, call, count, flagsForMessage);
    }

    private long copy(int fd, int count, int flags) {
        long iov = end.scratch.iovecs();
        return end.write ? end.raw.pwritev2(fd, iov, count, flags) : end.raw.preadv2(fd, iov, count, flags);
    }

    /** Shortens the iovec array to at most {@code max} bytes; returns the new count. */
    private int clamp(int count, long max) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long len = end.scratch.iovLength(i);
            if (sum + len >= max) {
                end.scratch.iovLength(i, max - sum);
                return i + 1;
            }
            sum += len;
        }
        return count;
    }
}
