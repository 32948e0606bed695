package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.util.Arrays;
import java.util.EnumSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.PipeArbitraries;
import org.jsplice.testkit.SegmentLayout;

/** Rules on partial transfers: what one raw call reports is exactly what the reader gets. */
public interface PartialTransferContract extends ContractHook {

    /**
     * A raw call's result r is a prefix: the pipe then holds exactly r bytes, and they are the first
     * r bytes of the concatenated segments. On failure: the count reported differs from what moved,
     * or segments moved out of order.
     *
     * @param layout the segments, generated
     * @param smallPipe whether the pipe keeps its default capacity
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void aRawCallMovesExactlyAPrefixOfTheConcatenation(@ForAll("upToIovMax") SegmentLayout layout,
            @ForAll boolean smallPipe) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            if (smallPipe && capabilities().contains(Capability.RESIZE)) {
                pipe.sink().capacity(1);
            }
            // NONBLOCK changes nothing for vmsplice into an empty pipe, and keeps a copying provider from waiting.
            long r = pipe.sink().vmsplice(layout.ioVecs(memory.buffer), SpliceFlag.NONBLOCK);
            check(r >= 0 && r <= expected.length, () -> "returned " + r + " for " + expected.length + " bytes");
            check(expected.length == 0 || r > 0, () -> "an empty pipe took nothing of " + layout);
            int queued = pipe.sink().queued();
            check(queued == r, () -> "returned " + r + " but the pipe holds " + queued + " bytes");
            checkSameBytes(Arrays.copyOf(expected, (int) r), Support.read(pipe.source(), (int) r), "prefix of " + layout);
        }
    }

    /**
     * Many small segments fill the pipe's slots: a raw call into an empty pipe moves at least as
     * many one-byte segments as the pipe has page slots (capacity / page size), and at most all. On
     * failure: the provider gave up before the pipe was full.
     *
     * @param count the number of one-byte segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void manySmallSegmentsFillThePipesSlots(@ForAll @IntRange(min = 1, max = 64) int count) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        long[] pairs = new long[2 * count];
        for (int i = 0; i < count; i++) {
            pairs[2 * i] = 3L * i;
            pairs[2 * i + 1] = 1;
        }
        SegmentLayout layout = SegmentLayout.of(pairs);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            long slots = pipe.sink().capacity() / provider.pageSize();
            long r = pipe.sink().vmsplice(layout.ioVecs(memory.buffer), SpliceFlag.NONBLOCK);
            check(r >= Math.min(count, slots) && r <= count,
                    () -> count + " one-byte segments into " + slots + " slots moved " + r);
            checkSameBytes(Arrays.copyOf(layout.concatenation(memory.content), (int) r),
                    Support.read(pipe.source(), (int) r), count + " one-byte segments");
        }
    }

    /**
     * 0 to {@code IOV_MAX} segments of up to 64 KiB at any offset.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SegmentLayout> upToIovMax() {
        return PipeArbitraries.layouts(0, provider().iovMax(), 64 << 10, PipeArbitraries.MEMORY);
    }
}
