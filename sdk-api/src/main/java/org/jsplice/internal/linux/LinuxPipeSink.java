package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.F_SETPIPE_SZ;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.List;
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
        DescriptorHandle h = descriptorOf(file, offset);
        try {
            return transfer(false, h, h.fd(), offset, length, flags, "spliceFrom");
        } finally {
            Reference.reachabilityFence(file);
        }
    }

    @Override
    public long transferFrom(NativeFile file, long offset, long count) throws IOException {
        DescriptorHandle h = descriptorOf(file, 0);
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
}
