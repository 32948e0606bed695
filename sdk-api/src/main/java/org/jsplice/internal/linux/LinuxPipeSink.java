package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.F_SETPIPE_SZ;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;

import java.io.IOException;
import java.lang.ref.Reference;
import java.util.List;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * The write end of a pipe over a provider's {@link SystemCalls}. Thread-safe; see {@link PipeSink} for
 * the descriptor's ownership and {@link LinuxPipeEnd} for waiting, cancellation and the close
 * protocol.
 */
public final class LinuxPipeSink extends LinuxPipeEnd implements PipeSink {

    /**
     * A sink over {@code fd}, which must be open; an {@code owned} descriptor is closed by {@link
     * #close()} once no call is under way.
     *
     * @param raw the provider's calls
     * @param fd the descriptor
     * @param owned whether {@link #close()} closes it
     */
    public LinuxPipeSink(SystemCalls raw, int fd, boolean owned) {
        super(raw, fd, owned, true);
    }

    /**
     * An end of {@code provider}'s, which {@link #provider()} answers.
     *
     * @param provider the provider that made it
     * @param raw the system calls
     * @param fd the descriptor
     * @param owned whether {@link #close()} closes it
     */
    public LinuxPipeSink(PipeProvider provider, SystemCalls raw, int fd, boolean owned) {
        super(provider, raw, fd, owned, true);
    }

    @Override
    public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return once(segments, flags);
    }

    @Override
    public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return fully(segments, flags, false);
    }

    @Override
    public long writeFully(List<? extends IoVec> segments) throws IOException {
        return fully(segments, NO_FLAGS, true);
    }

    @Override
    public long spliceFrom(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        DescriptorHandle h = Splices.descriptorOf(file, offset);
        try {
            return transfer(false, h, h.fd(), offset, length, flags, "spliceFrom");
        } finally {
            Reference.reachabilityFence(file);
        }
    }

    @Override
    public long transferFrom(NativeFile file, long offset, long count) throws IOException {
        DescriptorHandle h = Splices.descriptorOf(file, 0);
        try {
            return transferFrom(h, h.fd(), offset, count);
        } finally {
            Reference.reachabilityFence(file);
        }
    }

    @Override
    public long spliceFrom(int fd, long length, SpliceFlag... flags) throws IOException {
        return transfer(false, null, fd, -1, length, flags, "spliceFrom");
    }

    @Override
    public int capacity(int bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: bytes=" + bytes);
        }
        acquire();
        try {
            int r = raw.fcntl(fd, F_SETPIPE_SZ, bytes);
            if (r < 0) {
                throw new PipeException("fcntl(fd=" + fd + ", F_SETPIPE_SZ, " + bytes + ")", -r,
                        r == -org.jsplice.Errno.EPERM.code() ? org.jsplice.internal.PipeLimits.explainRefusal(bytes) : null);
            }
            return r;
        } finally {
            release();
        }
    }

    /**
     * Splices {@code count} bytes of the file behind {@code in} from {@code offset} on into this
     * pipe (a sink), or fewer when the file ends: one call of the core for the whole range, which
     * looks at the input's type once and waits in poll(2) only after an {@code EAGAIN}.
     *
     * @return the bytes moved
     */
    final long transferFrom(DescriptorHandle file, int in, long offset, long count) throws IOException {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must not be negative: offset=" + offset + " count=" + count);
        }
        acquire();
        try {
            file.acquire();
            try {
                if (count == 0) {
                    return 0;
                }
                long moved = 0;
                boolean done = false;
                enter();
                try {
                    boolean lookFirst = Splices.inputMayWait(this, in);
                    boolean full = false;
                    while (moved < count && isOpen()) {
                        if (full && !await(POLLOUT, in, POLLIN)) {
                            break;
                        }
                        full = false;
                        if (lookFirst && !Splices.readable(this, in)) {
                            full = true;
                            continue;
                        }
                        long want = count - moved;
                        long r = raw.splice(in, scratch.offset(offset + moved), fd, 0, want, SPLICE_F_NONBLOCK);
                        if (r > 0) {
                            // A short splice filled the pipe, but a reader on another CPU is often
                            // taking bytes out right now: the next splice goes at once, and only
                            // an EAGAIN waits in poll.
                            moved += r;
                        } else if (r == 0) {
                            break; // the end of the file
                        } else if (r == -Errno.EAGAIN.code()) {
                            full = true;
                        } else if (r != -Errno.EINTR.code()) {
                            throw new PipeException("splice(fd_in=" + in + ", off_in=" + (offset + moved) + ", fd_out=" + fd
                                    + ", len=" + want + ")", (int) -r).afterTransferOf(moved);
                        }
                    }
                    done = moved == count || isOpen();
                } finally {
                    try {
                        finish(done, moved, "transferFrom", 1);
                    } finally {
                        lock.unlock();
                    }
                }
                return moved;
            } finally {
                file.release();
            }
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }
}
