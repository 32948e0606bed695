package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.util.Arrays;
import java.util.EnumSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;

/** Rules on {@code tee(2)}: it duplicates a prefix into another pipe and consumes nothing. */
public interface TeeContract extends ContractHook {

    /**
     * {@link Capability#TEE}: a tee moves between 1 and {@code length} bytes, the first ones of
     * this pipe, into the target, and this pipe still holds all of its bytes. Undeclared: it fails
     * cleanly and both pipes stay as they were. On failure: a tee that consumes is a splice.
     *
     * @param written the bytes in the pipe, generated
     * @param length the most bytes asked for, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 200)
    default void teeDuplicatesAPrefixWithoutConsumingIt(@ForAll @IntRange(min = 1, max = ReadContract.FITS) int written,
            @ForAll @IntRange(min = 1, max = 70_000) int length) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Pipe from = provider.open(EnumSet.noneOf(PipeOption.class)); Pipe to = provider.open(EnumSet.noneOf(PipeOption.class))) {
            Support.put(from, memory, 0, written);
            from.sink().close(); // a provider that lost bytes meets end of stream, not a wait
            if (!capabilities().contains(Capability.TEE)) {
                Support.expectUnsupported("tee", () -> from.source().tee(to.sink(), length),
                        () -> check(from.source().queued() == written && to.source().queued() == 0,
                                () -> "an unsupported tee moved bytes"));
                return;
            }
            long n = from.source().tee(to.sink(), length);
            check(n >= 1 && n <= Math.min(length, written), () -> "tee of " + length + " from a pipe holding " + written
                    + " returned " + n);
            checkSameBytes(Arrays.copyOf(memory.content, (int) n), Support.read(to.source(), (int) n), "the teed prefix");
            int left = from.source().queued();
            check(left == written, () -> "tee consumed bytes: the source holds " + left + " of " + written);
            checkSameBytes(Arrays.copyOf(memory.content, written), Support.readUpTo(from.source(), written),
                    "the source after a tee");
        }
    }

    /**
     * {@link Capability#TEE}: from an empty pipe whose writer is gone, a tee returns -1.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void teeAtEndOfStreamReturnsMinusOne() throws Exception {
        Support.skipUnless(capabilities().contains(Capability.TEE), "Capability.TEE");
        PipeProvider provider = provider();
        try (Pipe from = provider.open(EnumSet.noneOf(PipeOption.class)); Pipe to = provider.open(EnumSet.noneOf(PipeOption.class))) {
            from.sink().close();
            long n = from.source().tee(to.sink(), 4096);
            check(n == -1, () -> "tee at end of stream returned " + n + ", not -1");
        }
    }
}
