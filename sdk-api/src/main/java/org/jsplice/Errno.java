package org.jsplice;

/**
 * The {@code errno} codes that jsplice meets, with their Linux numbers and {@code strerror}
 * texts. Codes outside this list are reported as {@link #OTHER}; {@link PipeException#code()} then
 * keeps the number.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ESPIPE(29, "Illegal seek"),
    EPIPE(32, "Broken pipe"),
    ENOSYS(38, "Function not implemented"),
    EOPNOTSUPP(95, "Operation not supported"),
    /** Any code not listed above; the number is in {@link PipeException#code()}. */
    OTHER(-1, "Unknown error");

    private static final Errno[] BY_CODE = new Errno[96];

    static {
        for (Errno e : values()) {
            if (e.code > 0) {
                BY_CODE[e.code] = e;
            }
        }
    }

    private final int code;
    private final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The Linux number, or -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    /** The {@code strerror(3)} text. */
    public String description() {
        return description;
    }

    /** The constant for a Linux {@code errno} number; {@link #OTHER} when it is not listed. */
    public static Errno of(int code) {
        Errno e = code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return e == null ? OTHER : e;
    }
}
