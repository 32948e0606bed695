package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;
import static org.jsplice.testkit.contract.Support.expectErrno;

import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsplice.Errno;
import org.jsplice.Pipe;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.PipeArbitraries;
import org.jsplice.testkit.PipeDrain;
import org.jsplice.testkit.SegmentLayout;

/** Rules on offsets, lengths and page alignment, with and without {@code GIFT}. */
public interface AlignmentContract extends ContractHook {

    /**
     * Without {@code GIFT}, segments at any offset and of any length arrive intact. On failure: an
     * address or length was rounded, or a segment was read from the wrong place.
     *
     * @param layout the segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void withoutGiftAnyOffsetAndLengthArrivesIntact(@ForAll("fewSegmentsAnywhere") SegmentLayout layout)
            throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = Support.roomyPipe(this, provider); PipeDrain drain = PipeDrain.start(pipe.source(), expected.length)) {
            pipe.sink().vmspliceFully(layout.ioVecs(memory.buffer));
            pipe.sink().close();
            checkSameBytes(expected, drain.await(Duration.ofSeconds(60)), "segments " + layout);
        }
    }

    /**
     * With {@code GIFT}, a call is accepted exactly when every segment's address and length are
     * page-aligned, and otherwise refused with {@code EINVAL} before anything reaches the pipe. On
     * failure: the provider relies on the kernel, which no longer checks.
     *
     * @param layout the segments, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void giftIsAcceptedExactlyWhenEverySegmentIsPageAligned(@ForAll("mixedAlignment") SegmentLayout layout)
            throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        byte[] expected = layout.concatenation(memory.content);
        try (Pipe pipe = Support.roomyPipe(this, provider)) {
            if (layout.isPageAligned(provider.pageSize())) {
                long r = pipe.sink().vmsplice(layout.ioVecs(memory.buffer), SpliceFlag.GIFT, SpliceFlag.NONBLOCK);
                check(r >= 0 && r <= expected.length, () -> "GIFT of aligned " + layout + " returned " + r);
                check(expected.length == 0 || r > 0, () -> "GIFT of aligned " + layout + " into an empty pipe moved nothing");
                checkSameBytes(Arrays.copyOf(expected, (int) r), Support.read(pipe.source(), (int) r),
                        "GIFT of aligned " + layout);
            } else {
                expectErrno(Errno.EINVAL, "GIFT of misaligned " + layout,
                        () -> pipe.sink().vmsplice(layout.ioVecs(memory.buffer), SpliceFlag.GIFT));
                expectErrno(Errno.EINVAL, "GIFT of misaligned " + layout + " through vmspliceFully",
                        () -> pipe.sink().vmspliceFully(layout.ioVecs(memory.buffer), SpliceFlag.GIFT));
                check(pipe.sink().queued() == 0, () -> "a refused GIFT must move nothing: " + layout);
            }
        }
    }

    /**
     * 1 to 64 segments of up to 64 KiB at any offset.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SegmentLayout> fewSegmentsAnywhere() {
        return PipeArbitraries.layouts(1, 64, 64 << 10, PipeArbitraries.MEMORY);
    }

    /**
     * 1 to 16 segments, each offset and length aligned or not by chance.
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<SegmentLayout> mixedAlignment() {
        return PipeArbitraries.mixedAlignmentLayouts(16, provider().pageSize(), PipeArbitraries.MEMORY);
    }
}
