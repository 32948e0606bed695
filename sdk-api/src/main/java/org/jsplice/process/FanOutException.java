package org.jsplice.process;

import java.io.IOException;

/**
 * A {@link FanOut} that failed: {@link #reason()} says why, {@link #result()} what each part had
 * done. When the input or a consumer failed, the others ran to the end; when the fan-out was
 * cancelled (its timeout passed, the thread in {@link FanOut#run()} was interrupted, or moving the
 * batches failed), everything else was ended. Either way, every thread the fan-out started had
 * ended when this was thrown, and every pipe it opened was closed.
 */
public class FanOutException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a fan-out failed. */
    public enum Reason {
        /** The input failed (other than by every consumer going away); the consumers ran to its end. */
        INPUT,
        /** A consumer failed, or more than one; the input and the other consumers ran to the end. */
        CONSUMER,
        /**
         * Moving the batches from the input's pipe to the consumers' pipes ({@code tee(2)}, {@code
         * splice(2)}) failed, other than by a consumer going away; everything else was ended.
         */
        RELAY,
        /** The fan-out's {@link FanOut#timeout timeout} passed; everything was ended. */
        TIMEOUT,
        /**
         * The thread that called {@link FanOut#run()} was interrupted; everything was ended, and the
         * thread's interrupt status was set again.
         */
        INTERRUPT
    }

    /** Why the fan-out failed; {@code null} only in a form serialized before reasons were kept. */
    private final Reason reason;
    /** What the fan-out did: bytes in, bytes each consumer took, each failure. */
    private final FanOut.Result result;

    FanOutException(String message, Reason reason, FanOut.Result result, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.result = result;
    }

    /**
     * Why the fan-out failed: a cancellation ({@link Reason#TIMEOUT}, {@link Reason#INTERRUPT},
     * {@link Reason#RELAY}) when there was one, else {@link Reason#INPUT} if the input failed, else
     * {@link Reason#CONSUMER}. The cause is the failure the reason names: the input's, the first
     * failed consumer's (in the order given), the relay's, the {@link InterruptedException}; none
     * for a timeout.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * What the fan-out did: bytes in, bytes each consumer took, each failure. Kept when the
     * exception is serialized.
     *
     * @return the figures
     */
    public FanOut.Result result() {
        return result;
    }
}
