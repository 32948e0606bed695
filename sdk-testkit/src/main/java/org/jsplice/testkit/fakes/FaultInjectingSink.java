package org.jsplice.testkit.fakes;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jsplice.Errno;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;
import org.jsplice.testkit.IoVecs;

/**
 * A sink for testing an application's own write loop: it forwards to a real sink, but injects the
 * outcomes a loop must survive, on demand ({@link #inject}) or at random ({@link #random}).
 *
 * <ul>
 *   <li>{@link Fault#SHORT_TRANSFER}: the raw call moves only a random non-empty prefix of what was
 *       asked (what a full pipe or the slot limit does);</li>
 *   <li>{@link Fault#EAGAIN} and {@link Fault#EINTR}: the raw call moves nothing and returns 0 (the
 *       SDK's answer to a full non-blocking pipe and to a signal);</li>
 *   <li>{@link Fault#EPIPE}: the call fails with {@code PipeException(EPIPE)}, as when the reader is
 *       gone; through {@code vmspliceFully} after a random prefix has moved.</li>
 * </ul>
 * The bytes that do move are real: a reader on the underlying pipe sees exactly what the counts
 * say. Thread-safe; injected faults are taken in order by whichever thread calls next.
 */
public final class FaultInjectingSink extends ForwardingPipeSink {
    /** What can be injected. */
    public enum Fault {
        /** The raw call moves a random non-empty prefix of what was asked. */
        SHORT_TRANSFER,
        /** The raw call moves nothing and returns 0, as on a full non-blocking pipe. */
        EAGAIN,
        /** The raw call moves nothing and returns 0, as after a signal. */
        EINTR,
        /** The call fails with {@code PipeException(EPIPE)}, as when no reader is left. */
        EPIPE
    }

    /** Mixes its seed well: consecutive seeds give unrelated sequences, which {@code java.util.Random} does not. */
    private final SplittableRandom random;
    private final double rate;
    private final EnumSet<Fault> randomFaults;
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private final Map<Fault, Long> injected = new EnumMap<>(Fault.class);

    private final PipeSink delegate;

    private FaultInjectingSink(PipeSink delegate, long seed, double rate, EnumSet<Fault> randomFaults) {
        this.delegate = delegate;
        this.random = new SplittableRandom(seed);
        this.rate = rate;
        this.randomFaults = randomFaults;
    }

    /**
     * A sink that injects only what {@link #inject} queues.
     *
     * @param delegate the real sink
     * @return the sink
     */
    public static FaultInjectingSink onDemand(PipeSink delegate) {
        return new FaultInjectingSink(delegate, 0, 0, EnumSet.noneOf(Fault.class));
    }

    /**
     * A sink that, on each call, injects one of {@code faults} with probability {@code rate},
     * reproducibly for a given {@code seed}.
     *
     * @param delegate the real sink
     * @param seed the seed of the random choices
     * @param rate the chance of a fault per call, within [0, 1]
     * @param faults the faults to choose from
     * @return the sink
     */
    public static FaultInjectingSink random(PipeSink delegate, long seed, double rate, Fault... faults) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be within [0, 1]: rate=" + rate);
        }
        EnumSet<Fault> set = EnumSet.noneOf(Fault.class);
        set.addAll(Arrays.asList(faults));
        return new FaultInjectingSink(delegate, seed, rate, set);
    }

    /**
     * Queues faults for the next calls, one per call, before any random ones.
     *
     * @param faults the faults, in order
     * @return this sink
     */
    public synchronized FaultInjectingSink inject(Fault... faults) {
        scripted.addAll(Arrays.asList(faults));
        return this;
    }

    /**
     * How often {@code fault} has been injected so far.
     *
     * @param fault the fault
     * @return the count
     */
    public synchronized long injected(Fault fault) {
        return injected.getOrDefault(fault, 0L);
    }

    @Override
    protected PipeSink delegate() {
        return delegate;
    }

    private synchronized Fault next() {
        Fault f = scripted.poll();
        if (f == null && !randomFaults.isEmpty() && random.nextDouble() < rate) {
            Fault[] choices = randomFaults.toArray(new Fault[0]);
            f = choices[random.nextInt(choices.length)];
        }
        if (f != null) {
            injected.merge(f, 1L, Long::sum);
        }
        return f;
    }

    private synchronized long randomBelow(long bound) {
        return (long) (random.nextDouble() * bound);
    }

    @Override
    public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        if (!delegate.isOpen()) {
            return delegate.vmsplice(segments, flags);
        }
        Fault fault = next();
        if (fault == null) {
            return delegate.vmsplice(segments, flags);
        }
        switch (fault) {
            case SHORT_TRANSFER:
                long total = IoVecs.total(segments);
                if (total <= 1) {
                    return delegate.vmsplice(segments, flags);
                }
                return delegate.vmsplice(IoVecs.prefix(segments, 1 + randomBelow(total - 1)), flags);
            case EAGAIN:
            case EINTR:
                return 0;
            case EPIPE:
            default:
                throw injectedEpipe("vmsplice", segments, flags);
        }
    }

    @Override
    public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        if (delegate.isOpen() && next() == Fault.EPIPE) {
            long total = IoVecs.total(segments);
            long moved = total > 0 ? delegate.vmspliceFully(IoVecs.prefix(segments, randomBelow(total)), flags) : 0;
            throw injectedEpipe("vmspliceFully", segments, flags).afterTransferOf(moved);
        }
        return delegate.vmspliceFully(segments, flags);
    }

    private static PipeException injectedEpipe(String call, List<? extends IoVec> segments, SpliceFlag[] flags) {
        return new PipeException(call + "(segments=" + segments.size() + ", flags=" + Arrays.toString(flags) + ")",
                Errno.EPIPE, "injected by FaultInjectingSink");
    }
}
