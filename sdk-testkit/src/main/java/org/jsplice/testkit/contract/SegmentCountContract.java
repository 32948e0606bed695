package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;
import static org.jsplice.testkit.contract.Support.expectErrno;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.Errno;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.PipeDrain;
import org.jsplice.testkit.SegmentLayout;

/** Rules on the number of segments: none, up to {@code IOV_MAX}, beyond it. */
public interface SegmentCountContract extends ContractHook {

    /**
     * A call with no segments returns 0 and puts nothing in the pipe, raw or fully. On failure: the
     * empty list must not reach the kernel as an error, nor block.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void zeroSegmentsReturnZeroAndMoveNothing() throws Exception {
        try (Pipe pipe = provider().open(EnumSet.noneOf(PipeOption.class))) {
            check(pipe.sink().vmsplice(List.of()) == 0, () -> "vmsplice of no segments must return 0");
            check(pipe.sink().vmspliceFully(List.of()) == 0, () -> "vmspliceFully of no segments must return 0");
            check(pipe.sink().queued() == 0, () -> "no segments must put nothing in the pipe");
        }
    }

    /**
     * One raw call with more than {@code IOV_MAX} segments fails with {@code EINVAL} and moves
     * nothing. On failure: check the segment count before the call, and never truncate the list.
     *
     * @param extra how many segments above {@code IOV_MAX}, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void moreThanIovMaxSegmentsFailWithEinvalAndMoveNothing(@ForAll @IntRange(min = 1, max = 2048) int extra)
            throws Exception {
        PipeProvider provider = provider();
        int count = provider.iovMax() + extra;
        SegmentLayout layout = oneByteSegments(count);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            expectErrno(Errno.EINVAL, "IOV_MAX + " + extra + " segments",
                    () -> pipe.sink().vmsplice(layout.ioVecs(Support.memory(provider).buffer)));
            check(pipe.sink().queued() == 0, () -> "a refused call must move nothing");
        }
    }

    /**
     * {@code vmspliceFully} delivers any number of segments, splitting lists longer than {@code
     * IOV_MAX} into batches, in order. On failure: look at the batch boundaries.
     *
     * @param count the number of segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void vmspliceFullyDeliversAnyNumberOfSegments(@ForAll("segmentCounts") int count) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        SegmentLayout layout = oneByteSegments(count);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = Support.roomyPipe(this, provider); PipeDrain drain = PipeDrain.start(pipe.source(), expected.length)) {
            long moved = pipe.sink().vmspliceFully(layout.ioVecs(memory.buffer));
            pipe.sink().close();
            check(moved == expected.length, () -> "vmspliceFully returned " + moved + " for " + expected.length + " bytes");
            checkSameBytes(expected, drain.await(Duration.ofSeconds(60)), count + " segments through vmspliceFully");
        }
    }

    /**
     * Counts from 0 to 3 × {@code IOV_MAX} + 5, the edges around each multiple of {@code IOV_MAX} favoured.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<Integer> segmentCounts() {
        int max = provider().iovMax();
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 3 * max + 5),
                Arbitraries.of(0, 1, max - 1, max, max + 1, 2 * max, 2 * max + 1, 3 * max + 5));
    }

    /** {@code count} one-byte segments spread over the memory, 4099 bytes apart (modulo its size). */
    private static SegmentLayout oneByteSegments(int count) {
        long[] pairs = new long[2 * count];
        for (int i = 0; i < count; i++) {
            pairs[2 * i] = (i * 4099L) % (org.jsplice.testkit.PipeArbitraries.MEMORY - 1);
            pairs[2 * i + 1] = 1;
        }
        return SegmentLayout.of(pairs);
    }
}
