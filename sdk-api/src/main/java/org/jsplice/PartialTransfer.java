package org.jsplice;

/**
 * An exception thrown after a transfer may have moved some bytes: it says how many reached their
 * destination (the pipe, or the caller's memory for the read direction), as {@link
 * java.io.InterruptedIOException#bytesTransferred} does. Those bytes are a prefix of what was asked
 * for: the first {@code bytesTransferred()} bytes of the concatenated segments arrived, none after.
 *
 * <p>Implemented by {@link PipeException}, {@link PipeAsynchronousCloseException} and {@link
 * PipeClosedByInterruptException}.
 */
public interface PartialTransfer {

    /**
     * The bytes moved before the failure; 0 when nothing moved.
     *
     * @return the bytes
     */
    long bytesTransferred();

    /**
     * The bytes an exception says moved: its {@link #bytesTransferred()}, or 0 if it says nothing.
     *
     * @param t any exception
     * @return the bytes
     */
    static long of(Throwable t) {
        return t instanceof PartialTransfer ? ((PartialTransfer) t).bytesTransferred() : 0;
    }
}
