package org.jsplice.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channel;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;

/**
 * What both ends of a pipe share: the descriptor and its close protocol, the reusable native iovec
 * array, the one {@code vmsplice(2)} call and its copying fallback, and the pipe queries.
 *
 * <p>Calls that use the iovec array hold {@link #lock}; the array is written in place, so a steady
 * stream of calls allocates nothing.
 */
abstract class JnaPipeEnd implements Channel {
    private static final int IOVEC_SIZE = 16;
    static final SpliceFlag[] NO_FLAGS = {};
    /** Beyond the iovec array: one {@code struct pollfd}, one {@code loff_t}, one {@code int} for FIONREAD. */
    private static final int TAIL_SIZE = 24;

    final JnaPipeProvider provider;
    final int fd;
    final FdHandle handle;
    final ReentrantLock lock = new ReentrantLock();

    private final int iovMax;
    private final Memory scratch;
    /** The iovec array, doubling as a bounce buffer where a copy is unavoidable. */
    final long iovAddress;
    final ByteBuffer iovView;
    private final long pollfdAddress;
    private final ByteBuffer pollfdView;
    /** A {@code loff_t} for splice's output offset; used under {@link #lock}. */
    final long offsetAddress;
    /** FIONREAD's {@code int}, used under {@link #queryLock}: a query never waits behind a transfer. */
    private final long queuedAddress;
    private final ReentrantLock queryLock = new ReentrantLock();
    /**
     * Why vmsplice must not run on this descriptor, or {@code null}. The kernel picks the direction
     * from the descriptor's access mode, not from the caller: on a read end it copies pipe data into
     * the segments, on a write end it copies the segments into the pipe. Access modes never change,
     * so one look at adoption suffices.
     */
    private final String wrongDirection;

    JnaPipeEnd(JnaPipeProvider provider, int fd, boolean owned, boolean write) {
        this.provider = provider;
        this.fd = fd;
        this.iovMax = provider.iovMax();
        long iovBytes = (long) iovMax * IOVEC_SIZE;
        this.scratch = new Memory(iovBytes + TAIL_SIZE);
        this.iovAddress = Pointer.nativeValue(scratch);
        this.iovView = scratch.getByteBuffer(0, iovBytes).order(ByteOrder.nativeOrder());
        this.pollfdAddress = iovAddress + iovBytes;
        this.pollfdView = scratch.getByteBuffer(iovBytes, TAIL_SIZE).order(ByteOrder.nativeOrder());
        this.offsetAddress = pollfdAddress + 8;
        this.queuedAddress = pollfdAddress + 16;
        this.handle = new FdHandle(fd, owned, scratch::close);
        this.wrongDirection = directionProblem(fd, write);
    }

    private static String directionProblem(int fd, boolean write) {
        int fl = fd < 0 ? -1 : LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (fl < 0) {
            return null; // not open: the call itself reports EBADF
        }
        int mode = fl & LibC.O_ACCMODE;
        if (write && mode == LibC.O_RDONLY) {
            return "fd " + fd + " is open for reading only (the read end of a pipe?): vmsplice on it would copy pipe "
                    + "data into the segments, so this sink refuses it";
        }
        if (!write && mode != LibC.O_RDONLY) {
            return "fd " + fd + " is open for writing: vmsplice on it would copy the segments into the pipe, so this "
                    + "source refuses it";
        }
        return null;
    }

    @Override
    public final boolean isOpen() {
        return handle.isOpen();
    }

    /**
     * Closes at once for new calls; the descriptor is closed now if no call is under way, else when
     * the last one returns.
     */
    @Override
    public final void close() throws IOException {
        handle.close();
    }

    /**
     * Checks a segment list before any system call.
     *
     * @param raw whether the list goes to the kernel in one call, so that {@code IOV_MAX} applies
     * @return the total length of the segments
     */
    final long validate(List<? extends IoVec> segments, SpliceFlag[] flags, boolean raw) throws PipeException {
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(flags, "flags");
        for (SpliceFlag f : flags) {
            Objects.requireNonNull(f, "flags must not contain null");
        }
        int n = segments.size();
        if (raw && n > iovMax) {
            throw new PipeException(describe("vmsplice", n, flags), LibC.EINVAL,
                    "more than IOV_MAX segments in one call: segments=" + n + " IOV_MAX=" + iovMax
                            + "; vmspliceFully splits longer lists");
        }
        boolean gift = SpliceFlag.contains(flags, SpliceFlag.GIFT);
        long pageMask = provider.pageSize() - 1;
        long total = 0;
        for (int i = 0; i < n; i++) {
            IoVec s = segments.get(i);
            if (s == null) {
                throw new NullPointerException("segments[" + i + "] is null");
            }
            long length = s.length();
            if (length < 0) {
                throw new IllegalArgumentException("segments[" + i + "] has a negative length: length=" + length);
            }
            if (gift && ((s.address() | length) & pageMask) != 0) {
                throw new PipeException(describe("vmsplice", n, flags), LibC.EINVAL,
                        "GIFT needs page-aligned segments: segments[" + i + "] address=0x"
                                + Long.toHexString(s.address()) + " length=" + length + " pageSize=" + (pageMask + 1));
            }
            total += length;
            if (total < 0) {
                throw new IllegalArgumentException("the segments' total length overflows a long at segments[" + i + "]");
            }
        }
        return total;
    }


    /**
     * One {@code vmsplice(2)} over {@code count} segments from {@code from}, the first shortened by
     * {@code skip} bytes; the caller holds {@link #lock}. Where the system refuses {@code vmsplice}
     * itself, the bytes are copied with {@code writev}/{@code readv} instead.
     *
     * @return the bytes moved, or {@code -EAGAIN} (full or empty pipe with {@code NONBLOCK}), or
     *     {@code -EINTR}
     */
    final long vmspliceBatch(List<? extends IoVec> segments, int from, int count, long skip, SpliceFlag[] flags,
            boolean write) throws PipeException {
        fillIovec(segments, from, count, skip);
        if (provider.isZeroCopy()) {
            long r = LibC.vmsplice(fd, iovAddress, count, SpliceFlag.bits(flags));
            if (r >= 0) {
                return r;
            }
            int errno = LibC.errno();
            if (!isRefusal(errno)) {
                return failOrRetry(errno, describe("vmsplice", count, flags));
            }
            provider.zeroCopyRefused(errno);
        }
        return copy(count, flags, write);
    }

    /**
     * One {@code writev(2)} over {@code count} segments from {@code from}, the first shortened by
     * {@code skip} bytes; the caller holds {@link #lock}.
     *
     * @return the bytes moved, or {@code -EINTR}
     */
    final long writevBatch(List<? extends IoVec> segments, int from, int count, long skip) throws PipeException {
        fillIovec(segments, from, count, skip);
        return copy(count, NO_FLAGS, true);
    }

    private void fillIovec(List<? extends IoVec> segments, int from, int count, long skip) {
        ByteBuffer iov = iovView;
        for (int i = 0; i < count; i++) {
            IoVec s = segments.get(from + i);
            long address = s.address();
            long length = s.length();
            if (i == 0) {
                address += skip;
                length -= skip;
            }
            iov.putLong(i * IOVEC_SIZE, address);
            iov.putLong(i * IOVEC_SIZE + 8, length);
        }
    }

    /** Refuses a vmsplice whose direction the kernel would take the other way; see {@link #wrongDirection}. */
    final void checkDirection(int segments, SpliceFlag[] flags) throws PipeException {
        if (wrongDirection != null) {
            throw new PipeException(describe("vmsplice", segments, flags), LibC.EBADF, wrongDirection);
        }
    }

    /** Exactly one system call for a whole list: the raw {@code vmsplice} of either end. */
    final long vmspliceOnce(List<? extends IoVec> segments, SpliceFlag[] flags, boolean write) throws IOException {
        handle.acquire();
        try {
            validate(segments, flags, true);
            checkDirection(segments.size(), flags);
            int n = segments.size();
            if (n == 0) {
                return 0;
            }
            lock.lock();
            try {
                return Math.max(0, vmspliceBatch(segments, 0, n, 0, flags, write));
            } finally {
                lock.unlock();
            }
        } finally {
            handle.release();
        }
    }

    /** seccomp filters answer EPERM or a chosen errno; kernels without the call answer ENOSYS. */
    private static boolean isRefusal(int errno) {
        return errno == LibC.EPERM || errno == LibC.ENOSYS || errno == LibC.EOPNOTSUPP;
    }

    /** The fallback: the same iovec array through {@code writev}/{@code readv}. */
    private long copy(int count, SpliceFlag[] flags, boolean write) throws PipeException {
        if (SpliceFlag.contains(flags, SpliceFlag.NONBLOCK)) {
            int ready = poll(write ? LibC.POLLOUT : LibC.POLLIN, 0);
            if (ready == 0) {
                return -LibC.EAGAIN;
            }
        }
        long r = write ? LibC.writev(fd, iovAddress, count) : LibC.readv(fd, iovAddress, count);
        if (r >= 0) {
            return r;
        }
        int errno = LibC.errno();
        return failOrRetry(errno, describe(write ? "writev" : "readv", count, flags));
    }

    private static long failOrRetry(int errno, String call) throws PipeException {
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return -errno;
        }
        throw new PipeException(call, errno);
    }

    /**
     * {@code poll(2)} on this descriptor alone; the caller holds {@link #lock}.
     *
     * @return 1 when ready (or in error, which the next call reports), 0 on timeout or {@code EINTR}
     */
    final int poll(short events, int timeoutMillis) throws PipeException {
        pollfdView.putInt(0, fd);
        pollfdView.putShort(4, events);
        pollfdView.putShort(6, (short) 0);
        int r = LibC.poll(pollfdAddress, 1, timeoutMillis);
        if (r >= 0) {
            return r;
        }
        int errno = LibC.errno();
        if (errno == LibC.EINTR) {
            return 0;
        }
        throw new PipeException("poll(fd=" + fd + ", events=" + events + ")", errno);
    }

    /** Writes splice's output offset into the scratch {@code loff_t}; the caller holds {@link #lock}. */
    final void setOffset(long offset) {
        pollfdView.putLong(8, offset);
    }

    final String describe(String call, int segments, SpliceFlag[] flags) {
        return call + "(fd=" + fd + ", segments=" + segments + ", flags=" + flagSet(flags) + ")";
    }

    /** The flags as a set, for messages: {@code [GIFT, NONBLOCK]}, duplicates folded. */
    static EnumSet<SpliceFlag> flagSet(SpliceFlag[] flags) {
        EnumSet<SpliceFlag> set = EnumSet.noneOf(SpliceFlag.class);
        set.addAll(Arrays.asList(flags));
        return set;
    }

    /** {@code ioctl(FIONREAD)}; allocates nothing, and never waits behind a transfer on this end. */
    public final int queued() throws IOException {
        handle.acquire();
        queryLock.lock();
        try {
            if (LibC.ioctl(fd, LibC.FIONREAD, queuedAddress) != 0) {
                throw new PipeException("ioctl(fd=" + fd + ", FIONREAD)", LibC.errno());
            }
            return pollfdView.getInt(16);
        } finally {
            queryLock.unlock();
            handle.release();
        }
    }

    /** {@code fcntl(F_GETPIPE_SZ)}. */
    public final int capacity() throws IOException {
        handle.acquire();
        try {
            int r = LibC.fcntl(fd, LibC.F_GETPIPE_SZ, 0);
            if (r < 0) {
                throw new PipeException("fcntl(fd=" + fd + ", F_GETPIPE_SZ)", LibC.errno());
            }
            return r;
        } finally {
            handle.release();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
