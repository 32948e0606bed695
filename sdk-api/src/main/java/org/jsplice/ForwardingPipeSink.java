package org.jsplice;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import org.jsplice.internal.Segments;
import org.jsplice.spi.PipeProvider;

/**
 * A {@link PipeSink} that forwards every call to another, for decorators that change one behaviour
 * (metrics, tracing, limits, fault injection): override the methods to change and let the rest
 * forward.
 *
 * <p>As with Guava's forwarding collections, a method that is not overridden goes straight to the
 * {@link #delegate()}, even where it could be built on one that is: overriding {@link
 * #vmsplice(List, SpliceFlag...)} does not change what {@link #vmspliceFully(List, SpliceFlag...)}
 * does. A decorator that wants every transfer to pass through its {@code vmsplice} overrides {@code
 * vmspliceFully} with {@link #standardVmspliceFully(List, SpliceFlag...)}, which builds the whole
 * transfer on this object's {@code vmsplice}:
 *
 * <pre>{@code
 * class CountingSink extends ForwardingPipeSink {
 *     private final PipeSink delegate;
 *     final LongAdder bytes = new LongAdder();
 *
 *     CountingSink(PipeSink delegate) { this.delegate = delegate; }
 *
 *     protected PipeSink delegate() { return delegate; }
 *
 *     public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
 *         long n = delegate.vmsplice(segments, flags);
 *         bytes.add(n);
 *         return n;
 *     }
 *
 *     public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
 *         return standardVmspliceFully(segments, flags);
 *     }
 * }
 * }</pre>
 *
 * <p>The flag-less overloads are not overridden here: they call this object's flagged methods, so
 * an override of those covers them too. Thread-safe as far as the delegate and the overrides are.
 */
public abstract class ForwardingPipeSink implements PipeSink {

    /** For subclasses. */
    protected ForwardingPipeSink() {
    }

    /**
     * The sink calls go to.
     *
     * @return the same sink every time
     */
    protected abstract PipeSink delegate();

    @Override
    public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return delegate().vmsplice(segments, flags);
    }

    @Override
    public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return delegate().vmspliceFully(segments, flags);
    }

    @Override
    public long writeFully(List<? extends IoVec> segments) throws IOException {
        return delegate().writeFully(segments);
    }

    @Override
    public long spliceFrom(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        return delegate().spliceFrom(file, offset, length, flags);
    }

    @Override
    public long spliceFrom(int fd, long length, SpliceFlag... flags) throws IOException {
        return delegate().spliceFrom(fd, length, flags);
    }

    @Override
    public long transferFrom(NativeFile file, long offset, long count) throws IOException {
        return delegate().transferFrom(file, offset, count);
    }

    @Override
    public int capacity() throws IOException {
        return delegate().capacity();
    }

    @Override
    public int capacity(int bytes) throws IOException {
        return delegate().capacity(bytes);
    }

    @Override
    public int queued() throws IOException {
        return delegate().queued();
    }

    @Override
    public boolean isOpen() {
        return delegate().isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate().close();
    }

    /**
     * {@link PipeSink#vmspliceFully(List, SpliceFlag...)} built on this object's {@link
     * #vmsplice(List, SpliceFlag...)}: batches of at most {@link IoVec#IOV_MAX} segments, a partial
     * transfer resumed where it stopped, a call that moved nothing (a signal) made again. {@link
     * SpliceFlag#NONBLOCK} is left out of the calls, so that each waits for room in {@code poll(2)}
     * instead of spinning; the other flags are passed on. A failure says how many bytes of the whole
     * transfer had moved ({@link PartialTransfer}).
     *
     * @param segments the memory to move, in order
     * @param flags as for {@code vmspliceFully}
     * @return the total length of the segments
     * @throws IOException as {@code vmsplice} throws it, with the bytes moved before it
     * @throws java.nio.channels.ClosedChannelException if this sink is closed, whatever the segments
     * @throws PipeException with {@code EINVAL}, before anything moves, for {@code GIFT} with a
     *     segment that is not page-aligned
     * @throws IllegalArgumentException if a segment is no user memory or the lengths' sum overflows
     * @throws NullPointerException if the list, a segment, the flags or a flag is null
     */
    protected final long standardVmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        // What the sink itself checks before anything moves, in the same order: a closed sink, then
        // the list and the flags, then every segment (GIFT's alignment too), so that a refusal never
        // comes after part of the transfer.
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        List<? extends IoVec> list = Segments.indexable(segments);
        PipeProvider provider = provider();
        long total = Segments.validate("vmspliceFully", provider.descriptor(this), list, flags, false, provider.iovMax(),
                provider.pageSize());
        SpliceFlag[] waiting = withoutNonblock(flags);
        List<? extends IoVec> rest = list;
        long moved = 0;
        while (moved < total) {
            List<? extends IoVec> batch = rest.size() > IoVec.IOV_MAX ? rest.subList(0, IoVec.IOV_MAX) : rest;
            long n;
            try {
                n = vmsplice(batch, waiting);
            } catch (PipeException | PipeClosedByInterruptException | PipeAsynchronousCloseException e) {
                throw Transfers.after(e, moved);
            }
            if (n < 0 || n > total - moved) {
                throw new IllegalStateException("vmsplice reported " + n + " bytes moved of a batch; " + (total - moved)
                        + " remained");
            }
            moved += n;
            rest = n == 0 ? rest : IoVec.drop(rest, n);
        }
        return total;
    }

    private static SpliceFlag[] withoutNonblock(SpliceFlag[] flags) {
        return SpliceFlag.contains(flags, SpliceFlag.NONBLOCK)
                ? Arrays.stream(flags).filter(f -> f != SpliceFlag.NONBLOCK).toArray(SpliceFlag[]::new)
                : flags;
    }

    @Override
    public org.jsplice.spi.PipeProvider provider() {
        return delegate().provider();
    }

    /**
     * The sink at the end of a chain of forwarding sinks: where a {@code splice} or {@code tee} into
     * a decorated sink really goes (those bytes move inside the kernel, past any decorator).
     *
     * @param sink a sink, decorated or not
     * @return {@code sink} itself unless it is a {@code ForwardingPipeSink}, else its innermost delegate
     */
    public static PipeSink innermost(PipeSink sink) {
        PipeSink s = sink;
        for (int depth = 0; s instanceof ForwardingPipeSink; depth++) {
            if (depth > 1000) {
                throw new IllegalArgumentException("a chain of more than 1000 forwarding sinks (a cycle?): " + sink);
            }
            s = ((ForwardingPipeSink) s).delegate();
        }
        return s;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate() + "]";
    }
}
