package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.FIONREAD;
import static org.jsplice.internal.linux.Linux.F_GETFL;
import static org.jsplice.internal.linux.Linux.F_GETPIPE_SZ;
import static org.jsplice.internal.linux.Linux.O_ACCMODE;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;
import static org.jsplice.internal.linux.Linux.O_RDONLY;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.Segments;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * What both ends of a pipe share, for every provider, over the {@link SystemCalls} a provider
 * binds: validation, the iovec transfers ({@code vmsplice}, and the copies where zero-copy is
 * refused), {@code splice} and {@code tee}, and the queries. Waiting, cancellation, close and the
 * statistics are {@link LinuxChannel}'s. A provider constructs {@link LinuxPipeSink} and {@link
 * LinuxPipeSource}; it writes none of this itself.
 *
 * <p>Thread-safe. Transfers on one end are serialised (the iovec array is reused in place, so a
 * steady stream of calls allocates nothing); {@link #queued()} and {@link #capacity()} never wait
 * behind them.
 */
public abstract class LinuxPipeEnd extends LinuxChannel {
    static final SpliceFlag[] NO_FLAGS = {};

    final boolean write;
    final int iovMax;
    final long pageSize;
    /** Whether the descriptor was non-blocking when adopted: its single calls then return 0 rather than wait. */
    final boolean nonBlocking;
    /** Serialises the queries, which use FIONREAD's part of the scratch memory and never wait behind a transfer. */
    private final ReentrantLock queryLock = new ReentrantLock();
    /** The provider whose zero-copy switch this end follows, or null: an end over bare system calls keeps its own. */
    private final NativePipeProvider switchboard;
    private boolean zeroCopyHere = true;
    /** How this end copies where zero-copy is off. */
    private final CopyPath copier = new CopyPath(this);
    /**
     * Why vmsplice must not run on this descriptor, or {@code null}. The kernel picks the direction
     * from the descriptor's access mode, not from the caller: on a read end it copies pipe data into
     * the segments, on a write end it copies the segments into the pipe.
     */
    private final String wrongDirection;

    LinuxPipeEnd(SystemCalls raw, int fd, boolean owned, boolean write) {
        this(null, raw, fd, owned, write);
    }

    LinuxPipeEnd(PipeProvider provider, SystemCalls raw, int fd, boolean owned, boolean write) {
        super(provider, raw, fd, owned, write ? "sink" : "source");
        this.switchboard = provider instanceof NativePipeProvider ? (NativePipeProvider) provider : null;
        this.write = write;
        this.iovMax = raw.iovMax();
        this.pageSize = raw.pageSize();
        int fl = fd < 0 ? -1 : raw.fcntl(fd, F_GETFL, 0);
        this.nonBlocking = fl >= 0 && (fl & O_NONBLOCK) != 0;
        this.wrongDirection = directionProblem(fd, fl, write);
    }

    private static String directionProblem(int fd, int fl, boolean write) {
        if (fl < 0) {
            return null; // not open: the call itself reports EBADF
        }
        int mode = fl & O_ACCMODE;
        if (write && mode == O_RDONLY) {
            return "fd " + fd + " is open for reading only (the read end of a pipe?): vmsplice on it would copy pipe "
                    + "data into the segments, so this sink refuses it";
        }
        if (!write && mode != O_RDONLY) {
            return "fd " + fd + " is open for writing: vmsplice on it would copy the segments into the pipe, so this "
                    + "source refuses it";
        }
        return null;
    }

    /** Refuses a vmsplice whose direction the kernel would take the other way; see {@link #wrongDirection}. */
    final void checkDirection(int segments, SpliceFlag[] flags) throws PipeException {
        if (wrongDirection != null) {
            throw new PipeException(describe("vmsplice", segments, flags), Errno.EBADF.code(), wrongDirection);
        }
    }

    /** Writes {@code count} segments from {@code from}, the first shortened by {@code skip}, into the iovec array. */
    final void fillIovec(List<? extends IoVec> segments, int from, int count, long skip) {
        for (int i = 0; i < count; i++) {
            IoVec s = segments.get(from + i);
            long address = s.address();
            long length = s.length();
            if (i == 0) {
                address += skip;
                length -= skip;
            }
            scratch.iovec(i, address, length);
        }
    }

    /** One iovec at the front of the array. */
    final void oneIovec(long address, long length) {
        scratch.iovec(0, address, length);
    }

    /** Memory behind the first iovec for a bounce copy: the rest of the array. */
    final int bounceCapacity() {
        return scratch.bounceCapacity();
    }

    final long bounceAddress() {
        return scratch.bounceAddress();
    }

    final ByteBuffer bounceView(int length) {
        return scratch.bounceView(length);
    }

    /**
     * One non-blocking transfer over the iovec array: {@code vmsplice}, or where zero-copy is off
     * (or {@code copy}) {@code pwritev2}/{@code preadv2}; the caller holds {@link #lock}.
     *
     * @return the bytes moved, or {@code -EAGAIN}, or {@code -EINTR}
     * @throws PipeException for any other failure
     */
    final long transferOnce(int count, int flags, boolean copy, SpliceFlag[] flagsForMessage) throws PipeException {
        if (!copy && (switchboard != null ? switchboard.isZeroCopy() : zeroCopyHere)) {
            long r = raw.vmsplice(fd, scratch.iovecs(), count, flags | SPLICE_F_NONBLOCK);
            if (r >= 0) {
                return r;
            }
            int errno = (int) -r;
            if (errno != Errno.EPERM.code() && errno != Errno.ENOSYS.code() && errno != Errno.EOPNOTSUPP.code()) {
                return againOr(errno, "vmsplice", count, flagsForMessage);
            }
            if (switchboard != null) {
                switchboard.zeroCopyRefused(errno);
            } else {
                zeroCopyHere = false;
            }
        }
        return copier.once(count, flagsForMessage);
    }

    /**
     * {@code -errno} for EAGAIN and EINTR, which the loops handle; a PipeException for every other
     * errno. The message is built only then: EAGAIN is the steady state of a full pipe.
     */
    final long againOr(int errno, String call, int segments, SpliceFlag[] flags) throws PipeException {
        if (errno == Errno.EAGAIN.code() || errno == Errno.EINTR.code()) {
            return -errno;
        }
        throw new PipeException(describe(call, segments, flags), errno);
    }

    static boolean isAgain(long r) {
        return r == -Errno.EAGAIN.code();
    }

    /**
     * One transfer of a whole list ({@code vmsplice} in this end's direction): waits until at least
     * one byte can move (unless {@code NONBLOCK} or a non-blocking descriptor), then moves what fits.
     */
    final long once(List<? extends IoVec> segments, SpliceFlag[] flags) throws IOException {
        acquire();
        try {
            List<? extends IoVec> list = Segments.indexable(segments);
            validate("vmsplice", list, flags, true);
            int n = list.size();
            checkDirection(n, flags);
            if (n == 0) {
                return 0;
            }
            boolean wait = !SpliceFlag.contains(flags, SpliceFlag.NONBLOCK) && !nonBlocking;
            int bits = SpliceFlag.bits(flags);
            long moved = 0;
            boolean done = false;
            enter();
            try {
                fillIovec(list, 0, n, 0);
                while (isOpen()) {
                    long r = transferOnce(n, bits, false, flags);
                    if (r >= 0) {
                        moved = r;
                        done = true;
                        break;
                    }
                    if (isAgain(r)) {
                        if (!wait) {
                            done = true;
                            break;
                        }
                        if (!await(write ? POLLOUT : POLLIN, -1, (short) 0)) {
                            break;
                        }
                    }
                }
            } finally {
                try {
                    finish(done, moved, "vmsplice", n);
                } finally {
                    lock.unlock();
                }
            }
            return moved;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Moves every byte of the segments, resuming inside a segment after a partial transfer, in
     * batches of {@code IOV_MAX}, retrying {@code EINTR}, waiting in {@code poll(2)} for room.
     *
     * @param copy {@code writev} rather than {@code vmsplice}
     */
    final long fully(List<? extends IoVec> segments, SpliceFlag[] flags, boolean copy) throws IOException {
        acquire();
        try {
            List<? extends IoVec> list = Segments.indexable(segments);
            long total = validate(copy ? "writev" : "vmsplice", list, flags, false);
            int n = list.size();
            if (!copy) {
                checkDirection(n, flags);
            }
            if (total == 0) {
                return 0;
            }
            int bits = SpliceFlag.bits(flags);
            long moved = 0;
            boolean done = false;
            enter();
            try {
                int index = 0;
                long skip = 0;
                boolean full = false;
                while (moved < total && isOpen()) {
                    // A transfer that stopped short filled the pipe: wait for room before the next
                    // one rather than make a call that can only say EAGAIN.
                    if (full && !await(write ? POLLOUT : POLLIN, -1, (short) 0)) {
                        break;
                    }
                    // The kernel returns 0 for a batch that starts with empty segments; never send one.
                    while (list.get(index).length() == skip) {
                        index++;
                        skip = 0;
                    }
                    int count = Math.min(n - index, iovMax);
                    fillIovec(list, index, count, skip);
                    long r = transferOnce(count, bits, copy, flags);
                    if (r > 0) {
                        moved += r;
                        skip += r;
                        long batch = 0;
                        while (index < n && skip >= list.get(index).length()) {
                            skip -= list.get(index).length();
                            index++;
                            batch++;
                        }
                        full = moved < total && batch < count;
                    } else {
                        full = isAgain(r);
                    }
                }
                done = moved == total;
            } catch (PipeException e) {
                throw e.afterTransferOf(moved);
            } finally {
                try {
                    finish(done, moved, copy ? "writeFully" : "vmspliceFully", n);
                } finally {
                    lock.unlock();
                }
            }
            return total;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /** See {@link Splices#transfer}. */
    final long transfer(boolean tee, DescriptorHandle other, int otherFd, long offset, long length, SpliceFlag[] flags,
            String call) throws IOException {
        return Splices.transfer(this, tee, other, otherFd, offset, length, flags, call);
    }

    final String describe(String call, int segments, SpliceFlag[] flags) {
        return Segments.describe(call, fd, segments, flags);
    }

    /** See {@link Segments#validate}. */
    final long validate(String call, List<? extends IoVec> list, SpliceFlag[] flags, boolean oneCall) throws PipeException {
        return Segments.validate(call, fd, list, flags, oneCall, iovMax, pageSize);
    }

    /**
     * {@code ioctl(FIONREAD)}; allocates nothing, and never waits behind a transfer on this end.
     *
     * @return the bytes
     * @throws IOException if the call fails, or this end is closed
     */
    public final int queued() throws IOException {
        acquire();
        queryLock.lock();
        try {
            int r = raw.ioctl(fd, FIONREAD, scratch.fionread());
            if (r < 0) {
                throw new PipeException("ioctl(fd=" + fd + ", FIONREAD)", -r);
            }
            return scratch.fionreadValue();
        } finally {
            queryLock.unlock();
            release();
        }
    }

    /**
     * {@code fcntl(F_GETPIPE_SZ)}.
     *
     * @return the capacity in bytes
     * @throws IOException if the call fails, or this end is closed
     */
    public final int capacity() throws IOException {
        acquire();
        try {
            int r = raw.fcntl(fd, F_GETPIPE_SZ, 0);
            if (r < 0) {
                throw new PipeException("fcntl(fd=" + fd + ", F_GETPIPE_SZ)", -r);
            }
            return r;
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
