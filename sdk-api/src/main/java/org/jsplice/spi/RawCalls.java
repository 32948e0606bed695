package org.jsplice.spi;

import java.nio.ByteBuffer;

/**
 * The system calls a provider binds, and nothing else: the provider core ({@link PipeEndCore},
 * {@link Fifos}) builds every pipe operation on them, with its loop, validation, cancellation,
 * accounting and the one translation of errno into exceptions.
 *
 * <p>Each call is the C call with its C arguments (pointers as {@code long} addresses of native
 * memory) and returns the C result when it succeeds, or <b>minus the errno</b> when it fails. No
 * method throws, retries or waits longer than its C call does. Implementations are thread-safe.
 */
public interface RawCalls {

    /** {@code vmsplice(fd, iov, count, flags)}. */
    long vmsplice(int fd, long iov, int count, int flags);

    /** {@code preadv2(fd, iov, count, -1, flags)}: {@code readv} at the current position, with {@code RWF_*} flags. */
    long preadv2(int fd, long iov, int count, int flags);

    /** {@code pwritev2(fd, iov, count, -1, flags)}: {@code writev} at the current position, with {@code RWF_*} flags. */
    long pwritev2(int fd, long iov, int count, int flags);

    /** {@code splice(fdIn, NULL, fdOut, offOut, length, flags)}; {@code offOut} is the address of a {@code loff_t}, or 0. */
    long splice(int fdIn, int fdOut, long offOut, long length, int flags);

    /** {@code tee(fdIn, fdOut, length, flags)}. */
    long tee(int fdIn, int fdOut, long length, int flags);

    /** {@code poll(fds, count, timeoutMillis)} over {@code struct pollfd}s in native memory. */
    int poll(long fds, int count, int timeoutMillis);

    /** {@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}. */
    int eventfd();

    /** {@code write(fd, buf, count)}. */
    long write(int fd, long buf, long count);

    /** {@code close(fd)}. */
    int close(int fd);

    /** {@code fcntl(fd, cmd, arg)} with an {@code int} argument. */
    int fcntl(int fd, int cmd, int arg);

    /** {@code ioctl(fd, request, argp)} with a pointer argument. */
    int ioctl(int fd, long request, long argp);

    /** {@code open(path, flags, mode)}. */
    int open(String path, int flags, int mode);

    /** {@code pipe2(fds, flags)}: the two descriptors are written as two {@code int}s at {@code fds}. */
    int pipe2(long fds, int flags);

    /** {@code mkfifo(path, mode)}. */
    int mkfifo(String path, int mode);

    /** {@code statx(fd, "", AT_EMPTY_PATH, mask, buf)}: a {@code struct statx} (256 bytes) at {@code buf}. */
    int statx(int fd, int mask, long buf);

    /**
     * Native memory of {@code bytes} bytes, zeroed, native byte order, at an address that does not
     * move, until {@link #free}.
     */
    ByteBuffer allocate(int bytes);

    /** Gives back memory from {@link #allocate}. */
    void free(ByteBuffer memory);

    /** The address of a direct buffer's first byte (not of its position). */
    long address(ByteBuffer direct);

    /** {@code sysconf(_SC_IOV_MAX)}. */
    int iovMax();

    /** {@code sysconf(_SC_PAGESIZE)}. */
    long pageSize();

    /** Whether {@code vmsplice} is used; false once the system refused it. */
    boolean zeroCopy();

    /** The system refused {@code vmsplice} with this errno (a seccomp filter, a kernel without it): copy from now on. */
    void zeroCopyRefused(int errno);
}
