package org.jsplice.process;

import java.io.IOException;

/**
 * A {@link FanOut} in which the input, or one consumer or more, failed. The others ran to the end;
 * {@link #result()} says what each one took and why each failure happened.
 */
public class FanOutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient FanOut.Result result;

    FanOutException(String message, FanOut.Result result, Throwable cause) {
        super(message, cause);
        this.result = result;
    }

    /**
     * What the fan-out did: bytes in, bytes each consumer took, each failure.
     *
     * @return the figures
     */
    public FanOut.Result result() {
        return result;
    }
}
