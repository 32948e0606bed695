package org.jsplice;

import java.nio.channels.AsynchronousCloseException;

/**
 * Another thread closed the pipe end while this thread's call was under way (or waiting); {@link
 * #bytesTransferred()} bytes had moved by then.
 */
public class PipeAsynchronousCloseException extends AsynchronousCloseException implements PartialTransfer {
    private static final long serialVersionUID = 1L;

    /** The bytes moved before the call ended. */
    private final long bytesTransferred;

    /**
     * The failure of a call that another thread's close ended.
     *
     * @param bytesTransferred the bytes moved before the close
     */
    public PipeAsynchronousCloseException(long bytesTransferred) {
        this.bytesTransferred = bytesTransferred;
    }

    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    @Override
    public String getMessage() {
        return "closed by another thread after " + bytesTransferred + " bytes moved";
    }
}
