package org.jsplice.jna;

import static org.jsplice.internal.linux.Linux.AT_EMPTY_PATH;
import static org.jsplice.internal.linux.Linux.EFD_CLOEXEC;
import static org.jsplice.internal.linux.Linux.EFD_NONBLOCK;
import static org.jsplice.internal.linux.Linux.MAP_FAILED;
import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
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
}
