package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;

import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;

/**
 * Rules on optional behaviour: what a provider declares in {@link #capabilities()} must work, and
 * what it does not declare must fail cleanly with {@link UnsupportedOperationException} and change
 * nothing.
 */
public interface CapabilityContract extends ContractHook {

    /**
     * {@link Capability#RESIZE}: {@code capacity(bytes)} returns a capacity of at least {@code bytes}
     * (a power-of-two number of pages, up to the system's limit), and {@code capacity()} then reports
     * it. Undeclared: the call fails cleanly and the capacity stays.
     *
     * @param bytes the capacity asked for, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 100)
    default void resizeGivesAtLeastWhatWasAskedOrFailsCleanly(@ForAll @IntRange(min = 1, max = 1 << 20) int bytes)
            throws Exception {
        PipeProvider provider = provider();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            int before = pipe.sink().capacity();
            if (!capabilities().contains(Capability.RESIZE)) {
                try {
                    pipe.sink().capacity(bytes);
                    throw new AssertionError("capacity(int) is declared unsupported but succeeded");
                } catch (UnsupportedOperationException expected) {
                    check(pipe.sink().capacity() == before, () -> "an unsupported resize changed the capacity");
                }
                return;
            }
            int got = pipe.sink().capacity(bytes);
            long pages = got / provider.pageSize();
            check(got >= bytes && got % provider.pageSize() == 0 && Long.bitCount(pages) == 1,
                    () -> "capacity(" + bytes + ") gave " + got + ", not a power-of-two number of pages >= " + bytes);
            check(pipe.sink().capacity() == got, () -> "capacity() disagrees with what capacity(int) returned");
        }
    }

    /**
     * {@link Capability#READ_DIRECTION}: {@code PipeSource.vmsplice} copies the pipe's bytes into the
     * segments, in order. Undeclared: the call fails cleanly and the pipe keeps its bytes.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void theReadDirectionCopiesPipeDataIntoTheSegmentsOrFailsCleanly() throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class)); NativeBuffer into = provider.allocate(8192, false)) {
            pipe.sink().vmsplice(List.of(memory.buffer.slice(100, 5)));
            if (!capabilities().contains(Capability.READ_DIRECTION)) {
                try {
                    pipe.source().vmsplice(List.of(into.slice(0, 5)));
                    throw new AssertionError("the read direction is declared unsupported but succeeded");
                } catch (UnsupportedOperationException expected) {
                    check(pipe.source().queued() == 5, () -> "an unsupported read-direction call consumed pipe data");
                }
                return;
            }
            long n = pipe.source().vmsplice(List.of(into.slice(0, 2), into.slice(4096, 3)));
            check(n == 5, () -> "read direction moved " + n + " of 5 bytes");
            byte[] got = {into.asByteBuffer().get(0), into.asByteBuffer().get(1), into.asByteBuffer().get(4096),
                into.asByteBuffer().get(4097), into.asByteBuffer().get(4098)};
            for (int i = 0; i < 5; i++) {
                int index = i;
                check(got[i] == memory.content[100 + i], () -> "read direction byte " + index + " differs");
            }
        }
    }

}
