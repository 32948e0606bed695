package org.jsplice.testsuite;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * libc calls of the tests' own, bound apart from every provider: descriptors of other kinds, and the
 * raw calls the suites hold a provider's results against.
 */
public final class TestNatives {
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_CLOEXEC = 02000000;
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;

    static {
        Native.register(TestNatives.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private TestNatives() {
    }

    public static native int open(String path, int flags, int mode);

    public static native int socketpair(int domain, int type, int protocol, int[] sv);

    public static native int close(int fd);

    public static native long vmsplice(int fd, long iov, long nr_segs, int flags);

    public static native int fcntl(int fd, int cmd, int arg);

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    /** The {@code errno} of this thread's last native call. */
    public static int errno() {
        return Native.getLastError();
    }

    /** {@code prctl} is variadic in C; every use here passes four longs. */
    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** {@code syscall} is variadic in C; every use here passes three longs. */
    public static native long syscall(long number, long a, long b, long c);

    public static native int pipe2(int[] fds, int flags);
}
