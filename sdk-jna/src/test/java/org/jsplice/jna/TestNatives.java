package org.jsplice.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** libc calls that only the tests need, to make descriptors of other kinds. */
final class TestNatives {
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_CLOEXEC = 02000000;
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;

    static {
        Native.register(TestNatives.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private TestNatives() {
    }

    static native int open(String path, int flags, int mode);

    static native int socketpair(int domain, int type, int protocol, int[] sv);

    static native int close(int fd);

    /** {@code prctl} is variadic in C; every use here passes four longs. */
    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);
}
