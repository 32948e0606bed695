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
public class PipeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Errno errno;
    private final int code;
    private final String call;

    /**
     * @param call the call and its arguments, such as {@code vmsplice(fd=12, segments=3, flags=[])}
     * @param code the Linux {@code errno} number
     * @param detail why jsplice refused the call, or {@code null} when the kernel did
     */
    public PipeException(String call, int code, String detail) {
        super(message(call, code, detail));
        this.errno = Errno.of(code);
        this.code = code;
        this.call = call;
    }

    /** Like {@link #PipeException(String, int, String)} with no detail. */
    public PipeException(String call, int code) {
        this(call, code, null);
    }

    /** Like {@link #PipeException(String, int, String)} for a listed code. */
    public PipeException(String call, Errno errno, String detail) {
        this(call, errno.code(), detail);
    }

    private static String message(String call, int code, String detail) {
        Errno e = Errno.of(code);
        String what = e == Errno.OTHER ? "errno " + code : e.name() + " (" + e.description() + ")";
        return call + " failed: " + what + (detail == null ? "" : ": " + detail);
    }

    /** The error, {@link Errno#OTHER} for a code jsplice does not list. */
    public Errno errno() {
        return errno == null ? Errno.of(code) : errno;
    }

    /** The Linux {@code errno} number. */
    public int code() {
        return code;
    }

    /** The call and its arguments, such as {@code vmsplice(fd=12, segments=3, flags=[GIFT])}. */
    public String call() {
        return call;
    }
}
