package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.time.Duration;
import java.util.EnumSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.PipeArbitraries;
import org.jsplice.testkit.PipeDrain;
import org.jsplice.testkit.SegmentLayout;

/** Rules on data integrity: every byte arrives once, in order, whatever the layout. */
public interface IntegrityContract extends ContractHook {

    /**
     * For every layout (0 to beyond {@code IOV_MAX} segments, 0 to 64 KiB each, any offsets,
     * overlaps), with any harmless flags and a small or a roomy pipe, a reader on another thread
     * receives the concatenation byte for byte: nothing lost or duplicated across partial transfers
     * and batches. On failure: the first differing byte tells where a resume or a batch went wrong.
     *
     * @param layout the segments, generated
     * @param flags flags that must not change what arrives, generated
     * @param smallPipe whether the pipe keeps its default capacity
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void vmspliceFullyDeliversTheConcatenationByteForByte(@ForAll("anyLayout") SegmentLayout layout,
            @ForAll("harmlessFlags") SpliceFlag[] flags, @ForAll boolean smallPipe) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class));
                PipeDrain drain = PipeDrain.start(pipe.source(), expected.length)) {
            if (capabilities().contains(Capability.RESIZE)) {
                pipe.sink().capacity(smallPipe ? 1 : 1 << 20);
            }
            long moved = pipe.sink().vmspliceFully(layout.ioVecs(memory.buffer), flags);
            pipe.sink().close();
            check(moved == expected.length, () -> "vmspliceFully returned " + moved + " for " + expected.length + " bytes");
            checkSameBytes(expected, drain.await(Duration.ofSeconds(60)), layout.toString());
        }
    }

    /**
     * {@code writeFully} copies every layout (beyond {@code IOV_MAX} segments too) byte for byte, and
     * the memory is free the moment it returns: overwriting it then changes nothing the reader gets.
     * On failure: a resume or batch went wrong, or the provider spliced the pages instead of copying.
     *
     * @param layout the segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void writeFullyCopiesTheConcatenationAndLeavesTheMemoryFree(@ForAll("anyLayout") SegmentLayout layout)
            throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = Support.roomyPipe(this, provider); PipeDrain drain = PipeDrain.start(pipe.source(), expected.length)) {
            long moved = pipe.sink().writeFully(layout.ioVecs(memory.buffer));
            java.nio.ByteBuffer view = memory.buffer.asByteBuffer();
            for (int i = 0; i < view.capacity(); i++) {
                view.put(i, (byte) ~view.get(i));
            }
            pipe.sink().close();
            check(moved == expected.length, () -> "writeFully returned " + moved + " for " + expected.length + " bytes");
            checkSameBytes(expected, drain.await(Duration.ofSeconds(60)), "writeFully " + layout);
        } finally {
            java.nio.ByteBuffer view = memory.buffer.asByteBuffer();
            for (int i = 0; i < view.capacity(); i++) {
                view.put(i, memory.content[i]);
            }
        }
    }

    /**
     * With {@code GIFT}, page-aligned layouts arrive byte for byte too.
     *
     * @param layout the segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void giftedPageAlignedLayoutsArriveByteForByte(@ForAll("alignedLayout") SegmentLayout layout) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = Support.roomyPipe(this, provider); PipeDrain drain = PipeDrain.start(pipe.source(), expected.length)) {
            pipe.sink().vmspliceFully(layout.ioVecs(memory.buffer), SpliceFlag.GIFT);
            pipe.sink().close();
            checkSameBytes(expected, drain.await(Duration.ofSeconds(60)), "GIFT " + layout);
        }
    }

    /**
     * 0 to 2100 segments of up to 64 KiB.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SegmentLayout> anyLayout() {
        return PipeArbitraries.layouts(0, 2100, 64 << 10, PipeArbitraries.MEMORY);
    }

    /**
     * 1 to 40 page-aligned segments.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SegmentLayout> alignedLayout() {
        return PipeArbitraries.pageAlignedLayouts(40, provider().pageSize(), PipeArbitraries.MEMORY);
    }

    /**
     * Subsets of {@code MOVE}, {@code NONBLOCK}, {@code MORE}.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SpliceFlag[]> harmlessFlags() {
        return PipeArbitraries.harmlessFlags();
    }
}
