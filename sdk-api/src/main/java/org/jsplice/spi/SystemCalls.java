package org.jsplice.spi;

import java.nio.ByteBuffer;

/**
 * The system calls a provider binds, and nothing else: the provider core ({@code LinuxPipeEnd},
 * {@code Fifos}) builds every pipe operation on them, with its loop, validation, cancellation,
 * accounting and the one translation of errno into exceptions.
 *
 * <p>Each call is the C call with its C arguments (pointers as {@code long} addresses of native
 * memory) and returns the C result when it succeeds, or <b>minus the errno</b> when it fails. No
 * method throws, retries or waits longer than its C call does. Implementations are thread-safe.
 */
public interface SystemCalls {

    /**
     * {@code vmsplice(fd, iov, count, flags)}.
     *
     * @param fd the C argument {@code fd}
     * @param iov the C argument {@code iov}
     * @param count the C argument {@code count}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    long vmsplice(int fd, long iov, int count, int flags);

    /**
     * {@code preadv2(fd, iov, count, -1, flags)}: {@code readv} at the current position, with {@code RWF_*} flags.
     *
     * @param fd the C argument {@code fd}
     * @param iov the C argument {@code iov}
     * @param count the C argument {@code count}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    long preadv2(int fd, long iov, int count, int flags);

    /**
     * {@code pwritev2(fd, iov, count, -1, flags)}: {@code writev} at the current position, with {@code RWF_*} flags.
     *
     * @param fd the C argument {@code fd}
     * @param iov the C argument {@code iov}
     * @param count the C argument {@code count}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    long pwritev2(int fd, long iov, int count, int flags);

    /**
     * {@code splice(fdIn, offIn, fdOut, offOut, length, flags)}: both offsets are addresses of a
     * {@code loff_t}, or 0 for none.
     *
     * @param fdIn the C argument {@code fd_in}
     * @param offIn the C argument {@code off_in}
     * @param fdOut the C argument {@code fd_out}
     * @param offOut the C argument {@code off_out}
     * @param length the C argument {@code len}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    long splice(int fdIn, long offIn, int fdOut, long offOut, long length, int flags);

    /**
     * {@code tee(fdIn, fdOut, length, flags)}.
     *
     * @param fdIn the C argument {@code fdIn}
     * @param fdOut the C argument {@code fdOut}
     * @param length the C argument {@code length}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    long tee(int fdIn, int fdOut, long length, int flags);

    /**
     * {@code poll(fds, count, timeoutMillis)} over {@code struct pollfd}s in native memory.
     *
     * @param fds the C argument {@code fds}
     * @param count the C argument {@code count}
     * @param timeoutMillis the C argument {@code timeoutMillis}
     * @return the C result, or minus the errno
     */
    int poll(long fds, int count, int timeoutMillis);

    /**
     * {@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}.
     *
     * @return the C result, or minus the errno
     */
    int eventfd();

    /**
     * {@code write(fd, buf, count)}.
     *
     * @param fd the C argument {@code fd}
     * @param buf the C argument {@code buf}
     * @param count the C argument {@code count}
     * @return the C result, or minus the errno
     */
    long write(int fd, long buf, long count);

    /**
     * {@code close(fd)}.
     *
     * @param fd the C argument {@code fd}
     * @return the C result, or minus the errno
     */
    int close(int fd);

    /**
     * {@code fcntl(fd, cmd, arg)} with an {@code int} argument.
     *
     * @param fd the C argument {@code fd}
     * @param cmd the C argument {@code cmd}
     * @param arg the C argument {@code arg}
     * @return the C result, or minus the errno
     */
    int fcntl(int fd, int cmd, int arg);

    /**
     * {@code ioctl(fd, request, argp)} with a pointer argument.
     *
     * @param fd the C argument {@code fd}
     * @param request the C argument {@code request}
     * @param argp the C argument {@code argp}
     * @return the C result, or minus the errno
     */
    int ioctl(int fd, long request, long argp);

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param path the C argument {@code path}
     * @param flags the C argument {@code flags}
     * @param mode the C argument {@code mode}
     * @return the C result, or minus the errno
     */
    int open(String path, int flags, int mode);

    /**
     * {@code pipe2(fds, flags)}: the two descriptors are written as two {@code int}s at {@code fds}.
     *
     * @param fds the C argument {@code fds}
     * @param flags the C argument {@code flags}
     * @return the C result, or minus the errno
     */
    int pipe2(long fds, int flags);

    /**
     * {@code mkfifo(path, mode)}.
     *
     * @param path the C argument {@code path}
     * @param mode the C argument {@code mode}
     * @return the C result, or minus the errno
     */
    int mkfifo(String path, int mode);

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH, mask, buf)}: a {@code struct statx} (256 bytes) at {@code buf}.
     *
     * @param fd the C argument {@code fd}
     * @param mask the C argument {@code mask}
     * @param buf the C argument {@code buf}
     * @return the C result, or minus the errno
     */
    int statx(int fd, int mask, long buf);

    /**
     * {@code mmap(NULL, length, prot, flags, -1, 0)}: anonymous memory.
     *
     * @param length the C argument {@code length}
     * @param prot the C argument {@code prot}
     * @param flags the C argument {@code flags}
     * @return the address, or minus the errno
     */
    long mmap(long length, int prot, int flags);

    /**
     * {@code munmap(address, length)}.
     *
     * @param address the C argument {@code addr}
     * @param length the C argument {@code length}
     * @return the C result, or minus the errno
     */
    int munmap(long address, long length);

    /**
     * {@code madvise(address, length, advice)}.
     *
     * @param address the C argument {@code addr}
     * @param length the C argument {@code length}
     * @param advice the C argument {@code advice}
     * @return the C result, or minus the errno
     */
    int madvise(long address, long length, int advice);

    /**
     * {@code epoll_create1(EPOLL_CLOEXEC)}: for the platform threads that park virtual threads
     * until their descriptors are ready. Providers that do not bind it leave the default, and
     * virtual threads then wait a short, growing while between non-blocking looks.
     *
     * @return the C result, or minus the errno
     */
    default int epollCreate() {
        return -38; // ENOSYS
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, event)}; {@code event} is the address of a {@code struct
     * epoll_event} (12 bytes, packed, on x86-64; 16 elsewhere).
     *
     * @param epfd the C argument {@code epfd}
     * @param op the C argument {@code op}
     * @param fd the C argument {@code fd}
     * @param event the C argument {@code event}
     * @return the C result, or minus the errno
     */
    default int epollCtl(int epfd, int op, int fd, long event) {
        return -38;
    }

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)}; only ever called on the core's own
     * platform threads, where waiting in the kernel holds nothing but that thread.
     *
     * @param epfd the C argument {@code epfd}
     * @param events the C argument {@code events}
     * @param maxEvents the C argument {@code maxevents}
     * @param timeoutMillis the C argument {@code timeout}
     * @return the C result, or minus the errno
     */
    default int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return -38;
    }

    /**
     * Native memory of {@code bytes} bytes, zeroed, native byte order, at an address that does not
     * move, until {@link #free}.
     *
     * @param bytes the size
     * @return the memory
     */
    ByteBuffer allocate(int bytes);

    /**
     * Gives back memory from {@link #allocate}.
     *
     * @param memory what {@link #allocate} returned
     */
    void free(ByteBuffer memory);

    /**
     * The address of a direct buffer's first byte (not of its position).
     *
     * @param direct a direct buffer
     * @return the address
     */
    long address(ByteBuffer direct);

    /**
     * {@code sysconf(_SC_IOV_MAX)}.
     *
     * @return the limit
     */
    int iovMax();

    /**
     * {@code sysconf(_SC_PAGESIZE)}.
     *
     * @return the page size in bytes
     */
    long pageSize();
}
