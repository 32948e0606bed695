package org.jsplice.jna;

import static org.jsplice.internal.linux.Linux.AT_EMPTY_PATH;
import static org.jsplice.internal.linux.Linux.EFD_CLOEXEC;
import static org.jsplice.internal.linux.Linux.EFD_NONBLOCK;
import static org.jsplice.internal.linux.Linux.MAP_FAILED;
import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.SYS_pidfd_open;
import static org.jsplice.internal.linux.Linux._SC_IOV_MAX;
import static org.jsplice.internal.linux.Linux._SC_PAGESIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.jsplice.spi.SystemCalls;

/**
 * The raw calls of the provider core, bound through {@link LibC}: each returns its result or minus
 * the errno read at once after the call. Thread-safe.
 */
final class JnaSystemCalls implements SystemCalls {
    private static final int ENOSYS = 38;
    /** The JNA memory behind each buffer from {@link #allocate}, kept reachable until {@link #free}. */
    private final Map<Long, Memory> allocations = new ConcurrentHashMap<>();

    /** sysconf's answers, asked once, and only once the provider is known to bind. */
    private static final class Sizes {
        static final long PAGE_SIZE = LibC.sysconf(_SC_PAGESIZE);
        static final int IOV_MAX = (int) LibC.sysconf(_SC_IOV_MAX);
    }

    JnaSystemCalls() {
    }

    private static long result(long r) {
        return r >= 0 ? r : -LibC.errno();
    }

    private static int result(int r) {
        return r >= 0 ? r : -LibC.errno();
    }

    @Override
    public long vmsplice(int fd, long iov, int count, int flags) {
        return result(LibC.vmsplice(fd, iov, count, flags));
    }

    @Override
    public long preadv2(int fd, long iov, int count, int flags) {
        return result(LibC.preadv2(fd, iov, count, -1, flags));
    }

    @Override
    public long pwritev2(int fd, long iov, int count, int flags) {
        return result(LibC.pwritev2(fd, iov, count, -1, flags));
    }

    @Override
    public long splice(int fdIn, long offIn, int fdOut, long offOut, long length, int flags) {
        return result(LibC.splice(fdIn, offIn, fdOut, offOut, length, flags));
    }

    @Override
    public long tee(int fdIn, int fdOut, long length, int flags) {
        return result(LibC.tee(fdIn, fdOut, length, flags));
    }

    @Override
    public int poll(long fds, int count, int timeoutMillis) {
        return result(LibC.poll(fds, count, timeoutMillis));
    }

    @Override
    public int eventfd() {
        return result(LibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    }

    @Override
    public long write(int fd, long buf, long count) {
        return result(LibC.write(fd, buf, count));
    }

    @Override
    public int close(int fd) {
        return LibC.close(fd) == 0 ? 0 : -LibC.errno();
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return result(LibC.fcntl(fd, cmd, arg));
    }

    @Override
    public int ioctl(int fd, long request, long argp) {
        return result(LibC.ioctl(fd, request, argp));
    }

    @Override
    public int open(String path, int flags, int mode) {
        return result(LibC.open(path, flags, mode));
    }

    @Override
    public int pipe2(long fds, int flags) {
        return result(LibC.pipe2(fds, flags));
    }

    @Override
    public int mkfifo(String path, int mode) {
        return result(LibC.mkfifo(path, mode));
    }

    @Override
    public int statx(int fd, int mask, long buf) {
        return result(LibC.statx(fd, "", AT_EMPTY_PATH, mask, buf));
    }

    @Override
    public int epollCreate() {
        return result(LibC.epoll_create1(O_CLOEXEC));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return result(LibC.epoll_ctl(epfd, op, fd, event));
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return result(LibC.epoll_wait(epfd, events, maxEvents, timeoutMillis));
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        Memory m = new Memory(bytes);
        m.clear();
        allocations.put(Pointer.nativeValue(m), m);
        return m.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    }

    @Override
    public void free(ByteBuffer memory) {
        Memory m = allocations.remove(address(memory));
        if (m != null) {
            m.close();
        }
    }

    @Override
    public long mmap(long length, int prot, int flags) {
        long r = LibC.mmap(0, length, prot, flags, -1, 0);
        return r == MAP_FAILED ? -LibC.errno() : r;
    }

    @Override
    public int munmap(long address, long length) {
        return result(LibC.munmap(address, length));
    }

    @Override
    public int madvise(long address, long length, int advice) {
        return result(LibC.madvise(address, length, advice));
    }

    @Override
    public long address(ByteBuffer direct) {
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
        JnaNativeBuffer.checkNotClosed(address);
        return address;
    }

    @Override
    public int iovMax() {
        return Sizes.IOV_MAX;
    }

    @Override
    public long pageSize() {
        return Sizes.PAGE_SIZE;
    }

    /** A posix_spawn function's result: 0, or minus its error number; ENOSYS where libc lacks the family. */
    private static int spawnResult(int r) {
        return -r;
    }

    private static boolean spawnBound() {
        return LibSpawn.LINK_FAILURE == null;
    }

    @Override
    public int posixSpawnp(long pid, long file, long fileActions, long attr, long argv, long envp) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnp(pid, file, fileActions, attr, argv, envp)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsInit(long fileActions) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_init(fileActions)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsDestroy(long fileActions) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_destroy(fileActions)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsAddDup2(long fileActions, int fd, int newFd) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_adddup2(fileActions, fd, newFd)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsAddOpen(long fileActions, int fd, long path, int flags, int mode) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_addopen(fileActions, fd, path, flags, mode)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsAddClosefrom(long fileActions, int from) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_addclosefrom_np(fileActions, from)) : -ENOSYS;
    }

    @Override
    public int posixSpawnFileActionsAddChdir(long fileActions, long path) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawn_file_actions_addchdir_np(fileActions, path)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrInit(long attr) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_init(attr)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrDestroy(long attr) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_destroy(attr)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrSetflags(long attr, short flags) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_setflags(attr, flags)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrSetpgroup(long attr, int pgroup) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_setpgroup(attr, pgroup)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrSetsigmask(long attr, long sigmask) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_setsigmask(attr, sigmask)) : -ENOSYS;
    }

    @Override
    public int posixSpawnattrSetsigdefault(long attr, long sigdefault) {
        return spawnBound() ? spawnResult(LibSpawn.posix_spawnattr_setsigdefault(attr, sigdefault)) : -ENOSYS;
    }

    @Override
    public int pidfdOpen(int pid) {
        return (int) result(LibC.syscall(SYS_pidfd_open, pid, 0));
    }

    @Override
    public int waitid(int idType, int id, long info, int options) {
        return result(LibC.waitid(idType, id, info, options));
    }

    @Override
    public int kill(int pid, int signal) {
        return result(LibC.kill(pid, signal));
    }
}
