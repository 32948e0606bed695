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

    // Starting and ending child processes (org.jsplice.process). posix_spawn's functions return
    // their error number instead of setting errno; here, as everywhere, minus the errno. Providers
    // that do not bind them leave the defaults, and runs then fail with ENOSYS.

    /**
     * {@code posix_spawnp(pid, file, fileActions, attr, argv, envp)}: {@code file} is the address
     * of a C string, {@code argv} and {@code envp} of NULL-terminated arrays of them.
     *
     * @param pid the C argument {@code pid}: where the child's pid is written
     * @param file the C argument {@code file}
     * @param fileActions the C argument {@code file_actions}
     * @param attr the C argument {@code attrp}
     * @param argv the C argument {@code argv}
     * @param envp the C argument {@code envp}
     * @return 0, or minus the error number
     */
    default int posixSpawnp(long pid, long file, long fileActions, long attr, long argv, long envp) {
        return -38; // ENOSYS
    }

    /**
     * {@code posix_spawn_file_actions_init(fileActions)}.
     *
     * @param fileActions the C argument {@code file_actions}
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsInit(long fileActions) {
        return -38;
    }

    /**
     * {@code posix_spawn_file_actions_destroy(fileActions)}.
     *
     * @param fileActions the C argument {@code file_actions}
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsDestroy(long fileActions) {
        return -38;
    }

    /**
     * {@code posix_spawn_file_actions_adddup2(fileActions, fd, newFd)}.
     *
     * @param fileActions the C argument {@code file_actions}
     * @param fd the C argument {@code fildes}
     * @param newFd the C argument {@code newfildes}
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsAddDup2(long fileActions, int fd, int newFd) {
        return -38;
    }

    /**
     * {@code posix_spawn_file_actions_addopen(fileActions, fd, path, flags, mode)}.
     *
     * @param fileActions the C argument {@code file_actions}
     * @param fd the C argument {@code fildes}
     * @param path the C argument {@code path}: the address of a C string
     * @param flags the C argument {@code oflag}
     * @param mode the C argument {@code mode}
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsAddOpen(long fileActions, int fd, long path, int flags, int mode) {
        return -38;
    }

    /**
     * {@code posix_spawn_file_actions_addclosefrom_np(fileActions, from)} (glibc 2.34).
     *
     * @param fileActions the C argument {@code file_actions}
     * @param from the C argument {@code from}
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsAddClosefrom(long fileActions, int from) {
        return -38;
    }

    /**
     * {@code posix_spawn_file_actions_addchdir_np(fileActions, path)} (glibc 2.29).
     *
     * @param fileActions the C argument {@code file_actions}
     * @param path the C argument {@code path}: the address of a C string
     * @return 0, or minus the error number
     */
    default int posixSpawnFileActionsAddChdir(long fileActions, long path) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_init(attr)}.
     *
     * @param attr the C argument {@code attr}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrInit(long attr) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_destroy(attr)}.
     *
     * @param attr the C argument {@code attr}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrDestroy(long attr) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_setflags(attr, flags)}.
     *
     * @param attr the C argument {@code attr}
     * @param flags the C argument {@code flags}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrSetflags(long attr, short flags) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_setpgroup(attr, pgroup)}.
     *
     * @param attr the C argument {@code attr}
     * @param pgroup the C argument {@code pgroup}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrSetpgroup(long attr, int pgroup) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_setsigmask(attr, sigmask)}: {@code sigmask} is the address of a {@code sigset_t}.
     *
     * @param attr the C argument {@code attr}
     * @param sigmask the C argument {@code sigmask}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrSetsigmask(long attr, long sigmask) {
        return -38;
    }

    /**
     * {@code posix_spawnattr_setsigdefault(attr, sigdefault)}: the address of a {@code sigset_t}.
     *
     * @param attr the C argument {@code attr}
     * @param sigdefault the C argument {@code sigdefault}
     * @return 0, or minus the error number
     */
    default int posixSpawnattrSetsigdefault(long attr, long sigdefault) {
        return -38;
    }

    /**
     * {@code syscall(SYS_pidfd_open, pid, 0)}: a descriptor that becomes readable when the process exits.
     *
     * @param pid the C argument {@code pid}
     * @return the C result, or minus the errno
     */
    default int pidfdOpen(int pid) {
        return -38;
    }

    /**
     * {@code waitid(idType, id, info, options)}: {@code info} is the address of a {@code siginfo_t} (128 bytes).
     *
     * @param idType the C argument {@code idtype}
     * @param id the C argument {@code id}
     * @param info the C argument {@code infop}
     * @param options the C argument {@code options}
     * @return the C result, or minus the errno
     */
    default int waitid(int idType, int id, long info, int options) {
        return -38;
    }

    /**
     * {@code kill(pid, signal)}: a negative {@code pid} names a process group.
     *
     * @param pid the C argument {@code pid}
     * @param signal the C argument {@code sig}
     * @return the C result, or minus the errno
     */
    default int kill(int pid, int signal) {
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
