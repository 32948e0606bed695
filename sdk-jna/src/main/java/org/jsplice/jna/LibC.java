package org.jsplice.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * libc's calls, bound by JNA direct mapping. Natives keep their C names; pointers are passed as
 * {@code long} (64-bit Linux only, which {@link JnaPipeProvider} checks). Every call reports failure
 * the C way, by returning -1; the caller then reads {@link #errno()} at once, before any other
 * native call on the same thread.
 *
 * <p>Registration never throws: a failure is kept in {@link #LINK_FAILURE} and the provider reports
 * itself unavailable.
 */
final class LibC {
    // <fcntl.h>

    // <sys/mman.h>

    // <unistd.h>

    /** Why binding failed, or {@code null} when every native below is usable. */
    static final Throwable LINK_FAILURE;

    static {
        Throwable failure = null;
        try {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        } catch (Throwable t) {
            failure = t;
        }
        LINK_FAILURE = failure;
    }

    private LibC() {
    }

    /** The {@code errno} of this thread's last native call. */
    static int errno() {
        return Native.getLastError();
    }

    static native long vmsplice(int fd, long iov, long nr_segs, int flags);

    static native long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    static native long pwritev2(int fd, long iov, int iovcnt, long offset, int flags);

    static native int eventfd(int initval, int flags);

    static native long write(int fd, long buf, long count);

    /** The offsets are {@code loff_t *}: 0 for none. */
    static native long splice(int fd_in, long off_in, int fd_out, long off_out, long len, int flags);

    static native long tee(int fd_in, int fd_out, long len, int flags);

    /** {@code open} is variadic in C; every use here passes the mode. */
    static native int open(String pathname, int flags, int mode);

    static native int mkfifo(String pathname, int mode);

    static native int pipe2(long pipefd, int flags);

    static native int close(int fd);

    /** {@code fcntl} is variadic in C; direct mapping takes a fixed arity, and every use here passes an int. */
    static native int fcntl(int fd, int cmd, int arg);

    /** {@code ioctl} is variadic in C; every use here passes a pointer to an int, in native memory. */
    static native int ioctl(int fd, long request, long argp);

    static native int poll(long fds, long nfds, int timeout);

    static native int statx(int dirfd, String pathname, int flags, int mask, long statxbuf);

    static native int epoll_create1(int flags);

    /** {@code event} is a {@code struct epoll_event *} in native memory. */
    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native int madvise(long addr, long length, int advice);

    static native long sysconf(int name);

    /** {@code syscall} is variadic in C; the one use here, {@code pidfd_open}, passes two ints. */
    static native long syscall(long number, int a1, int a2);

    /** {@code infop} is a {@code siginfo_t *} in native memory. */
    static native int waitid(int idtype, int id, long infop, int options);

    static native int kill(int pid, int sig);
}
