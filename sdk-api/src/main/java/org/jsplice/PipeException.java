package org.jsplice;

import java.io.IOException;

/**
 * A system call on a pipe failed, or was refused before it was made because the kernel would (or,
 * by the documented contract, should) refuse it.
 *
 * <p>The message names the call and its arguments and reads like {@code vmsplice(fd=12, segments=3,
 * flags=[GIFT]) failed: EINVAL (Invalid argument)}, followed by a detail when jsplice itself refused
 * the call.
 */
public class PipeException extends IOException implements PartialTransfer {
    private static final long serialVersionUID = 1L;

    private final transient Errno errno;
    /** The Linux {@code errno} number. */
    private final int code;
    /** The call and its arguments. */
    private final String call;
    /** Why jsplice refused the call, or {@code null} when the kernel did. */
    private final String detail;
    /** The bytes moved before the failure. */
    private final long bytesTransferred;

    /**
     * The failure of a call before anything moved.
     *
     * @param call the call and its arguments, such as {@code vmsplice(fd=12, segments=3, flags=[])}
     * @param code the Linux {@code errno} number
     * @param detail why jsplice refused the call, or {@code null} when the kernel did
     */
    public PipeException(String call, int code, String detail) {
        this(call, code, detail, 0);
    }

    /**
     * Like {@link #PipeException(String, int, String)}, after {@code bytesTransferred} bytes of the
     * transfer had moved.
     *
     * @param call the call and its arguments
     * @param code the Linux {@code errno} number
     * @param detail why jsplice refused the call, or {@code null} when the kernel did
     * @param bytesTransferred the bytes moved before the failure
     */
    public PipeException(String call, int code, String detail, long bytesTransferred) {
        super(message(call, code, detail) + (bytesTransferred > 0 ? " (after " + bytesTransferred + " bytes moved)" : ""));
        this.errno = Errno.of(code);
        this.code = code;
        this.call = call;
        this.detail = detail;
        this.bytesTransferred = bytesTransferred;
    }

    /**
     * This failure, saying that {@code bytes} bytes of the transfer had moved before it; this very
     * exception when it already says so.
     *
     * @param bytes the bytes moved before the failure
     * @return an exception that says so
     */
    public PipeException afterTransferOf(long bytes) {
        if (bytes == bytesTransferred) {
            return this;
        }
        PipeException e = new PipeException(call, code, detail, bytes);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * Like {@link #PipeException(String, int, String)} with no detail.
     *
     * @param call the call and its arguments
     * @param code the Linux {@code errno} number
     */
    public PipeException(String call, int code) {
        this(call, code, null);
    }

    /**
     * Like {@link #PipeException(String, int, String)} for a listed code.
     *
     * @param call the call and its arguments
     * @param errno the error
     * @param detail why jsplice refused the call, or {@code null} when the kernel did
     */
    public PipeException(String call, Errno errno, String detail) {
        this(call, errno.code(), detail);
    }

    private static String message(String call, int code, String detail) {
        Errno e = Errno.of(code);
        String what = e == Errno.OTHER ? "errno " + code : e.name() + " (" + e.description() + ")";
        return call + " failed: " + what + (detail == null ? "" : ": " + detail);
    }

    /**
     * The error, {@link Errno#OTHER} for a code jsplice does not list.
     *
     * @return the error
     */
    public Errno errno() {
        return errno == null ? Errno.of(code) : errno;
    }

    /**
     * The Linux {@code errno} number.
     *
     * @return the number
     */
    public int code() {
        return code;
    }

    /** The bytes of the transfer that had moved before the failure; 0 when nothing moved. */
    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    /**
     * The call and its arguments, such as {@code vmsplice(fd=12, segments=3, flags=[GIFT])}.
     *
     * @return the call
     */
    public String call() {
        return call;
    }
}
