package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.FIONREAD;
import static org.jsplice.internal.linux.Linux.F_GETFL;
import static org.jsplice.internal.linux.Linux.F_GETPIPE_SZ;
import static org.jsplice.internal.linux.Linux.O_ACCMODE;
import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;
import static org.jsplice.internal.linux.Linux.O_RDONLY;
import static org.jsplice.internal.linux.Linux.O_WRONLY;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.RWF_NOWAIT;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;
import static org.jsplice.internal.linux.Linux.STATX_MODE_OFFSET;
import static org.jsplice.internal.linux.Linux.STATX_TYPE;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeClosedByInterruptException;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.Cleaners;
import org.jsplice.internal.EndStatistics;
import org.jsplice.internal.Jfr;
import org.jsplice.internal.VirtualThreads;
import org.jsplice.spi.FileType;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * What both ends of a pipe share, for every provider: the descriptor and its close protocol, the
 * native iovec array, validation, the transfer loops, waiting, cancellation and accounting, over
 * the {@link SystemCalls} a provider binds. A provider constructs {@link LinuxPipeSink} and {@link
 * LinuxPipeSource}; it writes none of this itself.
 *
 * <h2>Waiting and cancellation</h2>
 * No call waits inside a system call that only the other process can end. Transfers run
 * non-blocking ({@code SPLICE_F_NONBLOCK}, {@code RWF_NOWAIT}); where they would block, the call
 * waits in {@code poll(2)} on the descriptor together with an {@code eventfd} of this end's own.
 * {@link #close()} from any thread signals the eventfd, so every call waiting on this end returns at
 * once with {@link PipeAsynchronousCloseException}. The JDK's interruptible-channel protocol
 * ({@link AbstractInterruptibleChannel#begin()}/{@code end}) makes {@link Thread#interrupt()} close
 * the end the same way, and the interrupted call throws {@link PipeClosedByInterruptException}.
 * Both say how many bytes had moved.
 *
 * <p>On a virtual thread the wait parks the virtual thread instead, and frees its carrier: the
 * descriptors go to the core's few platform poller threads ({@code epoll(7)}), which unpark it when
 * the kernel reports them ready; {@link #close()} and {@link Thread#interrupt()} unpark it directly.
 * The system calls stay non-blocking either way, and close, interrupt and accounting are the same.
 *
 * <h2>Dropped without close</h2>
 * An end that becomes unreachable without {@link #close()} is closed by a {@link Cleaner}: its
 * descriptor (when owned), its eventfd and its native memory are given back. The action holds the
 * descriptor's {@link DescriptorHandle}, never the end, and goes through the same close protocol, so
 * it too closes the number only once no call is under way.
 *
 * <h2>Threads</h2>
 * Thread-safe. Transfers on one end are serialised (the iovec array is reused in place, so a steady
 * stream of calls allocates nothing); {@link #queued()} and {@link #capacity()} never wait behind
 * them. The descriptor is closed when the last call under way returns, so that no call ever reaches
 * a descriptor number the next {@code open} may have given to another file.
 */
public abstract class LinuxPipeEnd extends AbstractInterruptibleChannel {
    // Linux ABI values (the same on x86-64 and arm64).

    static final SpliceFlag[] NO_FLAGS = {};

    final SystemCalls raw;
    /** The provider that made this end, or null for one made over bare system calls (a test's). */
    private final PipeProvider provider;
    final int fd;
    final boolean write;
    final int iovMax;
    final long pageSize;
    /** Whether the descriptor was non-blocking when adopted: its single calls then return 0 rather than wait. */
    final boolean nonBlocking;
    final DescriptorHandle handle;
    /** Serialises the calls that use the scratch memory. */
    final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock queryLock = new ReentrantLock();
    /** What the end holds of the system, shared with the cleaner's action; it never names the end. */
    private final Resources resources;
    private final Cleaner.Cleanable cleanable;
    /** The figures of this end, for JFR. Written under {@link #lock}. */
    final EndStatistics stats;
    /** The virtual thread parked in a wait on this end, for {@link #implCloseChannel()} to unpark. */
    volatile Thread parked;
    /** The JFR event of the call under way, begun at its first wait when the event is enabled; under {@link #lock}. */
    private Object event;
    private long waitedNanos;
    private int waits;
    /** Whether the call under way began its interruptible section; see {@link #enter()}. Under {@link #lock}. */
    private boolean begun;

    /** The structs of this end's system calls; under {@link #lock}, but FIONREAD's under {@link #queryLock}. */
    final Scratch scratch;
    /** The {@code struct epoll_event} of this end's virtual-thread waits, in the pollfd memory they do not use; under {@link #lock}. */
    private VirtualThreadPoller.Event epollEvent;
    private boolean noWaitUnsupported;
    /** Whether the descriptor was found to be a pipe, as the copying path must check before a first copy. */
    private boolean knownPipe;
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
        this.provider = provider;
        this.raw = Objects.requireNonNull(raw, "raw");
        this.fd = fd;
        this.write = write;
        this.iovMax = raw.iovMax();
        this.pageSize = raw.pageSize();
        this.scratch = new Scratch(raw, iovMax);
        int fl = fd < 0 ? -1 : raw.fcntl(fd, F_GETFL, 0);
        this.nonBlocking = fl >= 0 && (fl & O_NONBLOCK) != 0;
        this.wrongDirection = directionProblem(fd, fl, write);
        this.stats = EndStatistics.open(fd, write ? "sink" : "source");
        this.resources = new Resources(raw, fd, owned, scratch.memory, scratch.counter(), stats);
        this.handle = new DescriptorHandle(fd, resources::release);
        this.cleanable = Cleaners.CLEANER.register(this, handle::closeDropped);
    }

    /**
     * The descriptor, the eventfd, the twin descriptor and the native memory of one end: what its
     * close action gives back, exactly once, when no call is under way.
     */
    private static final class Resources {
        private final SystemCalls raw;
        private final int fd;
        private final boolean owned;
        private final ByteBuffer scratch;
        /** Where in the scratch memory the eventfd's counter is written. */
        private final int counter;
        private final EndStatistics stats;
        /** -1 before it is needed, -2 once the end is gone; guarded by this. */
        private int eventFd = -1;
        /**
         * Where {@code RWF_NOWAIT} is refused (FIFOs lack it): a second, non-blocking open of the
         * same pipe through {@code /proc/self/fd}, private to this end, for copies that must not
         * wait; -1 before it is needed, -2 when it could not be had (then copies go a page at a time
         * after poll). Written under the end's lock, read by the close action after every call.
         */
        private volatile int twinFd = -1;

        Resources(SystemCalls raw, int fd, boolean owned, ByteBuffer scratch, int counter, EndStatistics stats) {
            this.raw = raw;
            this.fd = fd;
            this.owned = owned;
            this.scratch = scratch;
            this.counter = counter;
            this.stats = stats;
        }

        /** The close action: returns the errno of a failed close(2), or 0. */
        int release() {
            int errno = owned ? Math.max(0, -raw.close(fd)) : 0;
            synchronized (this) {
                // After this, close() must not signal: the scratch memory is about to go.
                if (eventFd >= 0) {
                    raw.close(eventFd);
                }
                eventFd = -2;
            }
            int twin = twinFd;
            if (twin >= 0) {
                raw.close(twin);
            }
            raw.free(scratch);
            stats.closed();
            return errno;
        }

        /** This end's eventfd, made on first need. */
        synchronized int wakeFd() throws PipeException {
            if (eventFd == -1) {
                int e = raw.eventfd();
                if (e < 0) {
                    throw new PipeException("eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)", -e);
                }
                eventFd = e;
            }
            return eventFd;
        }

        /** Wakes every platform thread waiting in poll(2) on this end. */
        synchronized void signal() {
            if (eventFd >= 0) {
                scratch.putLong(counter, 1);
                raw.write(eventFd, raw.address(scratch) + counter, 8);
            }
        }
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

    /**
     * The descriptor number, for handing the pipe end to another program (see {@code ProcessBuilder}).
     *
     * @return the number
     */
    public final int fd() {
        return fd;
    }

    /**
     * The provider that made this end; for an end made over bare system calls, the one {@link
     * org.jsplice.Pipes#provider()} found.
     *
     * @return the provider
     */
    public final PipeProvider provider() {
        return provider != null ? provider : org.jsplice.Pipes.provider();
    }

    /** Closes the end: at once for new calls, and wakes every call waiting on it. */
    @Override
    protected final void implCloseChannel() throws IOException {
        try {
            if (handle.close()) {
                resources.signal();
                Thread t = parked;
                if (t != null) {
                    java.util.concurrent.locks.LockSupport.unpark(t);
                }
            }
        } finally {
            cleanable.clean(); // the handle is closed: the action has nothing left to do
        }
    }

    final void acquire() throws IOException {
        handle.acquire();
    }

    final void release() {
        handle.release();
    }

    /**
     * Takes {@link #lock} for a call. The call's interruptible section ({@link #begin()}) starts
     * here only when the thread is interrupted already (so that the interrupt closes the end, as
     * on every channel) or when another call holds the lock (a wait for it must end on close and
     * interrupt like any other); else at the call's first wait, in {@link #await}. A call that the
     * kernel completes at once, without waiting, costs its system call and two uncontended atomic
     * operations, not the four of {@code begin} and {@code end}.
     */
    final void enter() {
        if (lock.tryLock()) {
            if (Thread.currentThread().isInterrupted()) {
                begun = true;
                begin();
            }
            return;
        }
        begin();
        lock.lock();
        begun = true;
    }

    /**
     * Ends a call that {@link #enter()} began: the close and interrupt exceptions with the bytes
     * moved, as {@link AbstractInterruptibleChannel#end(boolean)} decides them (a call that never
     * began its interruptible section can meet only an asynchronous close); the statistics, and
     * the JFR event of a call that waited. The caller held {@link #lock} until now.
     */
    final void finish(boolean completed, long moved, String call, int segments) throws IOException {
        int w = waits;
        if (w == 0) {
            stats.add(moved);
        } else {
            long waited = waitedNanos;
            waits = 0;
            waitedNanos = 0;
            stats.add(moved, w);
            Object e = event;
            if (e != null) {
                event = null;
                Jfr.commitTransfer(e, call, fd, moved, segments, w, waited);
            }
        }
        if (!begun) {
            if (!completed && !isOpen()) {
                throw new PipeAsynchronousCloseException(moved);
            }
            return;
        }
        begun = false;
        try {
            end(completed);
        } catch (ClosedByInterruptException e) {
            throw new PipeClosedByInterruptException(moved);
        } catch (AsynchronousCloseException e) {
            throw new PipeAsynchronousCloseException(moved);
        }
    }

    /**
     * Waits in {@code poll(2)} until {@code fd} is ready for {@code events} (and {@code other} for
     * {@code otherEvents}, when not -1), or this end is closed; the caller holds {@link #lock}.
     *
     * @return false when this end was closed (or the thread interrupted, which closes it)
     */
    final boolean await(short events, int other, short otherEvents) throws PipeException {
        if (!begun) {
            begun = true;
            begin(); // closes the end if the thread was interrupted since the call began
            if (!isOpen()) {
                return false;
            }
        }
        boolean first = waits++ == 0;
        if (first && Jfr.transferEnabled()) {
            event = Jfr.beginTransfer();
        }
        // Timed only for a recording that wants it: the steady state of a full pipe waits once a call.
        long start = event != null ? System.nanoTime() : 0;
        try {
            if (VirtualThreads.current()) {
                if (first && other < 0) {
                    // The other end is often a virtual thread that is ready to run: let it run on
                    // this carrier first, and look again, before the poller is asked.
                    Thread.yield();
                    return isOpen();
                }
                VirtualThreadPoller[] pollers = VirtualThreadPoller.of(raw);
                return pollers.length > 0 ? VirtualThreadPoller.await(pollers, this, fd, events, other, otherEvents)
                        : awaitInPoll(events, other, otherEvents, true);
            }
            return awaitInPoll(events, other, otherEvents, false);
        } finally {
            if (start != 0) {
                waitedNanos += System.nanoTime() - start;
            }
        }
    }

    /**
     * Waits in {@code poll(2)} until the descriptors are ready or this end is closed. A platform
     * thread waits in the call, on the descriptors and this end's eventfd, which close() signals.
     * A virtual thread where {@code epoll} is not bound ({@code looking}) asks {@code poll(2)}
     * without waiting, and parks between looks for a while that grows from 50 µs to 10 ms.
     */
    private boolean awaitInPoll(short events, int other, short otherEvents, boolean looking) throws PipeException {
        int efd = looking ? -1 : resources.wakeFd();
        long pause = 50_000;
        if (looking) {
            parked = Thread.currentThread();
        }
        try {
            boolean mine = false;
            boolean theirs = other < 0;
            while (isOpen()) {
                // Wait on what is not ready yet (and on the eventfd), without a timeout.
                int n = 0;
                int mineAt = -1;
                int theirsAt = -1;
                if (!mine) {
                    mineAt = n;
                    pollfd(n++, fd, events);
                }
                if (!theirs) {
                    theirsAt = n;
                    pollfd(n++, other, otherEvents);
                }
                int efdAt = -1;
                if (!looking) {
                    efdAt = n;
                    pollfd(n++, efd, POLLIN);
                }
                int r = raw.poll(scratch.pollfds(), n, looking ? 0 : -1);
                if (r < 0 && r != -Errno.EINTR.code()) {
                    throw new PipeException("poll(fd=" + fd + (other >= 0 ? ", fd=" + other : "")
                            + (looking ? "" : ", eventfd=" + efd) + ")", -r);
                }
                if (efdAt >= 0 && revents(efdAt) != 0) {
                    return false;
                }
                mine |= mineAt >= 0 && revents(mineAt) != 0;
                theirs |= theirsAt >= 0 && revents(theirsAt) != 0;
                if (mine && theirs) {
                    return true;
                }
                if (looking) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, pause);
                    pause = Math.min(pause * 2, 10_000_000);
                }
            }
            return false;
        } finally {
            if (looking) {
                parked = null;
            }
        }
    }

    /** The memory for a virtual thread's registrations with the poller; the caller holds {@link #lock}. */
    final VirtualThreadPoller.Event epollEvent() {
        if (epollEvent == null) {
            epollEvent = new VirtualThreadPoller.Event(raw, scratch.memory, scratch.epollEvent());
        }
        return epollEvent;
    }

    private short revents(int i) {
        return scratch.revents(i);
    }

    private void pollfd(int i, int descriptor, short events) {
        scratch.pollfd(i, descriptor, events);
    }

    /**
     * The segments, indexable at constant cost: a list without {@link RandomAccess} is copied once.
     */
    static List<? extends IoVec> indexable(List<? extends IoVec> segments) {
        Objects.requireNonNull(segments, "segments");
        return segments instanceof RandomAccess ? segments : new ArrayList<>(segments);
    }

    /**
     * Checks an {@link #indexable} segment list and the flags before any system call.
     *
     * @param raw whether the list goes to the kernel in one call, so that {@code IOV_MAX} applies
     * @return the total length of the segments
     */
    final long validate(String call, List<? extends IoVec> list, SpliceFlag[] flags, boolean raw) throws PipeException {
        checkFlags(flags);
        int n = list.size();
        if (raw && n > iovMax) {
            throw new PipeException(describe(call, n, flags), Errno.EINVAL.code(),
                    "more than IOV_MAX segments in one call: segments=" + n + " IOV_MAX=" + iovMax
                            + "; vmspliceFully splits longer lists");
        }
        boolean gift = SpliceFlag.contains(flags, SpliceFlag.GIFT);
        long pageMask = pageSize - 1;
        long total = 0;
        for (int i = 0; i < n; i++) {
            IoVec s = list.get(i);
            if (s == null) {
                throw new NullPointerException("segments[" + i + "] is null");
            }
            long address = s.address();
            long length = s.length();
            if (length < 0 || length > IoVec.MAX_USER_ADDRESS || Long.compareUnsigned(address, IoVec.MAX_USER_ADDRESS - length) > 0) {
                throw new IllegalArgumentException("segments[" + i + "] is no user memory: address=0x" + Long.toHexString(address)
                        + " length=" + length + " limit=0x" + Long.toHexString(IoVec.MAX_USER_ADDRESS));
            }
            if (gift && ((address | length) & pageMask) != 0) {
                throw new PipeException(describe(call, n, flags), Errno.EINVAL.code(),
                        "GIFT needs page-aligned segments: segments[" + i + "] address=0x"
                                + Long.toHexString(address) + " length=" + length + " pageSize=" + pageSize);
            }
            total += length;
            if (total < 0) {
                throw new IllegalArgumentException("the segments' total length overflows a long at segments[" + i + "]");
            }
        }
        return total;
    }

    static void checkFlags(SpliceFlag[] flags) {
        Objects.requireNonNull(flags, "flags");
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == null) {
                throw new NullPointerException("flags[" + i + "] is null");
            }
        }
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
        if (!copy && raw.zeroCopy()) {
            long r = raw.vmsplice(fd, scratch.iovecs(), count, flags | SPLICE_F_NONBLOCK);
            if (r >= 0) {
                return r;
            }
            int errno = (int) -r;
            if (errno != Errno.EPERM.code() && errno != Errno.ENOSYS.code() && errno != Errno.EOPNOTSUPP.code()) {
                return againOr(errno, "vmsplice", count, flagsForMessage);
            }
            raw.zeroCopyRefused(errno);
        }
        return copyOnce(count, flagsForMessage);
    }

    private long copyOnce(int count, SpliceFlag[] flagsForMessage) throws PipeException {
        String call = write ? "pwritev2" : "preadv2";
        if (!knownPipe) {
            // vmsplice refuses what is not a pipe with EBADF; a copy would write into a file or a
            // socket, so the copying path refuses it the same way, once per end.
            FileType type = LinuxFile.typeOf(raw, fd);
            if (type != FileType.FIFO) {
                throw new PipeException(describe(call, count, flagsForMessage), Errno.EBADF.code(),
                        "the descriptor is " + type.description() + ", not a pipe");
            }
            knownPipe = true;
        }
        if (!noWaitUnsupported) {
            long r = write ? raw.pwritev2(fd, scratch.iovecs(), count, RWF_NOWAIT) : raw.preadv2(fd, scratch.iovecs(), count, RWF_NOWAIT);
            if (r != -Errno.EOPNOTSUPP.code()) {
                return r >= 0 ? r : againOr((int) -r, call, count, flagsForMessage);
            }
            noWaitUnsupported = true;
            int twin = raw.open("/proc/self/fd/" + fd, (write ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_CLOEXEC, 0);
            resources.twinFd = twin >= 0 ? twin : -2;
        }
        int twinFd = resources.twinFd;
        if (twinFd >= 0) {
            long r = write ? raw.pwritev2(twinFd, scratch.iovecs(), count, 0) : raw.preadv2(twinFd, scratch.iovecs(), count, 0);
            return r >= 0 ? r : againOr((int) -r, call, count, flagsForMessage);
        }
        // No way to copy without waiting: ask poll first, and write no more than a page, which one
        // free slot always takes; a read takes what is there.
        int ready = raw.poll(pollfdOnly(write ? POLLOUT : POLLIN), 1, 0);
        if (ready == 0) {
            return -Errno.EAGAIN.code();
        }
        if (write) {
            count = clamp(count, pageSize);
        }
        long r = write ? raw.pwritev2(fd, scratch.iovecs(), count, 0) : raw.preadv2(fd, scratch.iovecs(), count, 0);
        return r >= 0 ? r : againOr((int) -r, call, count, flagsForMessage);
    }

    /** Shortens the iovec array to at most {@code max} bytes; returns the new count. */
    private int clamp(int count, long max) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long len = scratch.iovLength(i);
            if (sum + len >= max) {
                scratch.iovLength(i, max - sum);
                return i + 1;
            }
            sum += len;
        }
        return count;
    }

    private long pollfdOnly(short events) {
        pollfd(0, fd, events);
        return scratch.pollfds();
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
            List<? extends IoVec> list = indexable(segments);
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
            List<? extends IoVec> list = indexable(segments);
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

    /**
     * One {@code splice(2)} or {@code tee(2)} between this end and another descriptor, holding both
     * open for the call, waiting in poll(2) until this pipe and the other descriptor are ready
     * (unless non-blocking). On a source the other descriptor is the output; on a sink, the input.
     *
     * @param tee {@code tee(2)} rather than {@code splice(2)}
     * @param other the handle of the other descriptor when jsplice owns it, else null
     * @param otherFd the other descriptor
     * @param offset the file offset on the other side, or -1 for none (its own position)
     * @param call the name for the statistics and events
     * @return the bytes moved; -1 at the end of the input; 0 when nothing moved without waiting
     */
    final long transfer(boolean tee, DescriptorHandle other, int otherFd, long offset, long length, SpliceFlag[] flags,
            String call) throws IOException {
        checkFlags(flags);
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        acquire();
        try {
            if (other != null) {
                other.acquire();
            }
            try {
                if (length == 0) {
                    return 0;
                }
                boolean wait = !SpliceFlag.contains(flags, SpliceFlag.NONBLOCK) && !nonBlocking;
                int bits = SpliceFlag.bits(flags) | SPLICE_F_NONBLOCK;
                int in = write ? otherFd : fd;
                int out = write ? fd : otherFd;
                long moved = 0;
                boolean done = false;
                enter();
                try {
                    // splice(2) honours SPLICE_F_NONBLOCK for pipes and for the files it reads at
                    // once; a socket's or a terminal's read waits in the kernel unless that
                    // descriptor is non-blocking. So such an input is asked first, without waiting.
                    boolean lookFirst = write && inputMayWait(in);
                    while (isOpen()) {
                        long r;
                        if (lookFirst && !readable(in)) {
                            r = -Errno.EAGAIN.code();
                        } else if (tee) {
                            r = raw.tee(in, out, length, bits);
                        } else if (offset < 0) {
                            r = raw.splice(in, 0, out, 0, length, bits);
                        } else {
                            long at = scratch.offset(offset);
                            r = write ? raw.splice(in, at, out, 0, length, bits) : raw.splice(in, 0, out, at, length, bits);
                        }
                        if (r >= 0) {
                            moved = r == 0 ? -1 : r;
                            done = true;
                            break;
                        }
                        if (r == -Errno.EINTR.code()) {
                            continue;
                        }
                        if (r != -Errno.EAGAIN.code()) {
                            throw new PipeException((tee ? "tee" : "splice") + "(fd_in=" + in + (write && offset >= 0 ? ", off_in="
                                    + offset : "") + ", fd_out=" + out + (!write && offset >= 0 ? ", off_out=" + offset : "")
                                    + ", len=" + length + ", flags=" + flagSet(flags) + ")", (int) -r);
                        }
                        if (!wait) {
                            done = true;
                            break;
                        }
                        if (!await(write ? POLLOUT : POLLIN, otherFd, write ? POLLIN : POLLOUT)) {
                            break;
                        }
                    }
                } finally {
                    try {
                        finish(done, Math.max(moved, 0), call, 1);
                    } finally {
                        lock.unlock();
                    }
                }
                return moved;
            } finally {
                if (other != null) {
                    other.release();
                }
            }
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The descriptor of a file that a jsplice provider opened, for a splice at {@code offset}.
     *
     * @throws IllegalArgumentException for any other file, or a negative offset
     */
    static DescriptorHandle descriptorOf(NativeFile file, long offset) {
        if (!(file instanceof HasDescriptor)) {
            throw new IllegalArgumentException("not a file of a jsplice provider: " + file);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: offset=" + offset);
        }
        return ((HasDescriptor) file).descriptor();
    }

    /**
     * Splices {@code count} bytes of the file behind {@code in} from {@code offset} on into this
     * pipe (a sink), or fewer when the file ends: one call of the core for the whole range, which
     * looks at the input's type once and waits in poll(2) only after an {@code EAGAIN}.
     *
     * @return the bytes moved
     */
    final long transferFrom(DescriptorHandle file, int in, long offset, long count) throws IOException {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must not be negative: offset=" + offset + " count=" + count);
        }
        acquire();
        try {
            file.acquire();
            try {
                if (count == 0) {
                    return 0;
                }
                long moved = 0;
                boolean done = false;
                enter();
                try {
                    boolean lookFirst = inputMayWait(in);
                    boolean full = false;
                    while (moved < count && isOpen()) {
                        if (full && !await(POLLOUT, in, POLLIN)) {
                            break;
                        }
                        full = false;
                        if (lookFirst && !readable(in)) {
                            full = true;
                            continue;
                        }
                        long want = count - moved;
                        long r = raw.splice(in, scratch.offset(offset + moved), fd, 0, want, SPLICE_F_NONBLOCK);
                        if (r > 0) {
                            // A short splice filled the pipe, but a reader on another CPU is often
                            // taking bytes out right now: the next splice goes at once, and only
                            // an EAGAIN waits in poll.
                            moved += r;
                        } else if (r == 0) {
                            break; // the end of the file
                        } else if (r == -Errno.EAGAIN.code()) {
                            full = true;
                        } else if (r != -Errno.EINTR.code()) {
                            throw new PipeException("splice(fd_in=" + in + ", off_in=" + (offset + moved) + ", fd_out=" + fd
                                    + ", len=" + want + ")", (int) -r).afterTransferOf(moved);
                        }
                    }
                    done = moved == count || isOpen();
                } finally {
                    try {
                        finish(done, moved, "transferFrom", 1);
                    } finally {
                        lock.unlock();
                    }
                }
                return moved;
            } finally {
                file.release();
            }
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Whether a splice from {@code in} can wait inside the kernel: what is not a pipe, a regular
     * file or a block device, unless the descriptor is non-blocking. The caller holds {@link #lock}.
     */
    private boolean inputMayWait(int in) {
        int fl = raw.fcntl(in, F_GETFL, 0);
        if (fl < 0 || (fl & O_NONBLOCK) != 0) {
            return false; // a bad descriptor is the splice's to report
        }
        // The statx buffer goes where the iovec array is: a splice does not use it.
        int r = raw.statx(in, STATX_TYPE, scratch.statx());
        if (r < 0) {
            return false;
        }
        FileType type = FileType.ofMode(scratch.statxMode(STATX_MODE_OFFSET));
        return type != FileType.FIFO && type != FileType.REGULAR && type != FileType.BLOCK_DEVICE;
    }

    /** {@code poll(2)} without waiting: whether {@code in} has bytes (or its end). The caller holds {@link #lock}. */
    private boolean readable(int in) {
        pollfd(0, in, POLLIN);
        return raw.poll(scratch.pollfds(), 1, 0) != 0;
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
