package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Example;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;

/**
 * The rule on the copying fallback: a provider that says it is not zero-copy ({@code isZeroCopy()}
 * false, as after the system refused {@code vmsplice}) copies, so memory handed to the pipe is free
 * for reuse as soon as the call returns; and it says so consistently.
 */
public interface FallbackContract extends ContractHook {

    /**
     * Where {@code isZeroCopy()} is false, a page overwritten right after {@code vmsplice} returned
     * reaches the reader as it was when handed over. Where it is true the kernel may keep
     * references, and the rule does not apply (skipped, saying so). On failure: the provider claims
     * to copy but passes references, and every caller that trusts it may see its data change.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aProviderThatSaysItCopiesLeavesTheMemoryFreeOnReturn() throws Exception {
        PipeProvider provider = provider();
        boolean zeroCopy = provider.isZeroCopy();
        Support.skipUnless(!zeroCopy, "a provider that copies (isZeroCopy() false, as under a seccomp filter that "
                + "refuses vmsplice); this one moves pages by reference");
        int page = (int) provider.pageSize();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class)); NativeBuffer memory = provider.allocate(page, false)) {
            ByteBuffer view = memory.asByteBuffer();
            for (int i = 0; i < page; i++) {
                view.put(i, (byte) 'A');
            }
            pipe.sink().vmspliceFully(List.of(memory.slice(0, page)));
            for (int i = 0; i < page; i++) {
                view.put(i, (byte) 'B');
            }
            byte[] got = Support.read(pipe.source(), page);
            for (int i = 0; i < page; i++) {
                int at = i;
                check(got[i] == 'A', () -> "isZeroCopy() is false, yet byte " + at + " changed after the call returned");
            }
            check(provider.isZeroCopy() == zeroCopy, () -> "isZeroCopy() turned back to true");
        }
    }
}
