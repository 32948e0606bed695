package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.POLLIN;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * The read end of a pipe over a provider's {@link SystemCalls}. Thread-safe; see {@link PipeSource}
 * for the descriptor's ownership and {@link LinuxPipeEnd} for waiting, cancellation and the close
 * protocol.
 */
public final class LinuxPipeSource extends LinuxPipeEnd implements PipeSource {

    /**
     * A source over {@code fd}, which must be open; an {@code owned} descriptor is closed by {@link
     * #close()} once no call is under way.
     *
     * @param raw the provider's calls
     * @param fd the descriptor
     * @param owned whether {@link #close()} closes it
     */
    public LinuxPipeSource(SystemCalls raw, int fd, boolean owned) {
        super(raw, fd, owned, false);
    }

    /**
     * An end of {@code provider}'s, which {@link #provider()} answers.
     *
     * @param provider the provider that made it
     * @param raw the system calls
     * @param fd the descriptor
     * @param owned whether {@link #close()} closes it
     */
    public LinuxPipeSource(PipeProvider provider, SystemCalls raw, int fd, boolean owned) {
        super(provider, raw, fd, owned, false);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        acquire();
        try {
            int wanted = dst.remaining();
            if (wanted == 0) {
                return 0;
            }
            boolean direct = dst.isDirect();
            int got = 0;
            boolean done = false;
            enter();
            try {
                // A heap array can move during the call: read into native memory, then copy.
                int length = direct ? wanted : Math.min(wanted, bounceCapacity());
                oneIovec(direct ? raw.address(dst) + dst.position() : bounceAddress(), length);
                while (isOpen()) {
                    long r = transferOnce(1, 0, true, NO_FLAGS);
                    if (r > 0) {
                        got = (int) r;
                        if (!direct) {
                            dst.put(dst.position(), bounceView(got), 0, got);
                        }
                        done = true;
                        break;
                    }
                    if (r == 0) {
                        got = -1;
                        done = true;
                        break;
                    }
                    if (isAgain(r)) {
                        if (nonBlocking) {
                            done = true;
                            break;
                        }
                        if (!await(POLLIN, -1, (short) 0)) {
                            break;
                        }
                    }
                }
            } finally {
                try {
                    finish(done, Math.max(got, 0), "read", 1);
                } finally {
                    lock.unlock();
                }
            }
            if (got > 0) {
                dst.position(dst.position() + got);
            }
            return got;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException {
        return once(into, flags);
    }

    @Override
    public long splice(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        LinuxPipeEnd end = sameKind(target);
        try {
            return transfer(false, end.handle, end.fd, -1, length, flags, "splice");
        } finally {
            Reference.reachabilityFence(end);
        }
    }

    @Override
    public long splice(int fd, long length, SpliceFlag... flags) throws IOException {
        return transfer(false, null, fd, -1, length, flags, "splice");
    }

    @Override
    public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        DescriptorHandle h = Splices.descriptorOf(file, offset);
        try {
            return transfer(false, h, h.fd(), offset, length, flags, "splice");
        } finally {
            Reference.reachabilityFence(file);
        }
    }

    @Override
    public long tee(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        LinuxPipeEnd end = sameKind(target);
        try {
            return transfer(true, end.handle, end.fd, -1, length, flags, "tee");
        } finally {
            Reference.reachabilityFence(end);
        }
    }

    private static LinuxPipeEnd sameKind(PipeSink decorated) {
        PipeSink target = org.jsplice.ForwardingPipeSink.innermost(decorated);
        if (!(target instanceof LinuxPipeSink)) {
            throw new IllegalArgumentException("not a sink of a jsplice provider: " + target);
        }
        return (LinuxPipeEnd) target;
    }
}
