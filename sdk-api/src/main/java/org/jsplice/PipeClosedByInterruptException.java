package org.jsplice;

import java.nio.channels.ClosedByInterruptException;

/**
 * This thread was interrupted while its call was under way (or waiting), which closed the pipe end,
 * as for every interruptible channel of the JDK; {@link #bytesTransferred()} bytes had moved by then.
 * The thread's interrupt status is set.
 */
public class PipeClosedByInterruptException extends ClosedByInterruptException implements PartialTransfer {
    private static final long serialVersionUID = 1L;

    /** The bytes moved before the call ended. */
    private final long bytesTransferred;

    /**
     * The failure of a call that an interrupt ended.
     *
     * @param bytesTransferred the bytes moved before the interrupt
     */
    public PipeClosedByInterruptException(long bytesTransferred) {
        this.bytesTransferred = bytesTransferred;
    }

    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    @Override
    public String getMessage() {
        return "interrupted, and the pipe end closed, after " + bytesTransferred + " bytes moved";
    }
}
