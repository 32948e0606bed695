package org.jsplice;

import java.io.IOException;

/** The failure of one step of a larger transfer, restated for the whole. Stateless. */
final class Transfers {
    private Transfers() {
    }

    /**
     * {@code e}, the failure of a step after {@code before} bytes of the whole had moved, as the
     * whole's failure: the same kind of exception, counting every byte of the whole that moved.
     */
    static IOException after(IOException e, long before) {
        long moved = before + PartialTransfer.of(e);
        if (e instanceof PipeException) {
            return ((PipeException) e).afterTransferOf(moved);
        }
        IOException whole;
        if (e instanceof PipeClosedByInterruptException) {
            whole = new PipeClosedByInterruptException(moved);
        } else if (e instanceof PipeAsynchronousCloseException) {
            whole = new PipeAsynchronousCloseException(moved);
        } else {
            return e;
        }
        whole.initCause(e);
        return whole;
    }
}
