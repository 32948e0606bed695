package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.RWF_NOWAIT;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.Errno;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeClosedByInterruptException;
import org.jsplice.PipeException;
import org.jsplice.internal.Cleaners;
import org.jsplice.internal.EndStatistics;
import org.jsplice.internal.Jfr;
import org.jsplice.internal.VirtualThreads;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * One descriptor of the core, and the template every call on it follows: the descriptor and its
 * close protocol, the scratch memory, the call's lock, its interruptible section, its waits, its
 * statistics and its end. {@link LinuxPipeEnd} builds the transfers on it.
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
 * Thread-safe. Calls that use the scratch memory hold {@link #lock}. The descriptor is closed when
 * the last call under way returns, so that no call ever reaches a descriptor number the next
 * {@code open} may have given to another file.
 */
public abstract class LinuxChannel extends AbstractInterruptibleChannel {
    final SystemCalls raw;
    /** The provider that made this end, or null for one made over bare system calls (a test's). */
    private final PipeProvider provider;
    final int fd;
    final DescriptorHandle handle;
    /** Serialises the calls that use the scratch memory. */
    final ReentrantLock lock = new ReentrantLock();
    /** What the end holds of the system, shared with the cleaner's action; it never names the end. */
    final EndResources resources;
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
    /** The structs of this end's system calls; under {@link #lock} (a subclass may keep a part for another lock). */
    final Scratch scratch;
    /** The {@code struct epoll_event} of this end's virtual-thread waits, in the pollfd memory they do not use; under {@link #lock}. */
    private VirtualThreadPoller.Event epollEvent;

    LinuxChannel(PipeProvider provider, SystemCalls raw, int fd, boolean owned, String end) {
        this(provider, raw, fd, owned, end, raw.iovMax());
    }

    /** As above, with scratch memory for {@code iovecs} segments (128 bytes each 8). */
    LinuxChannel(PipeProvider provider, SystemCalls raw, int fd, boolean owned, String end, int iovecs) {
        this.provider = provider;
        this.raw = Objects.requireNonNull(raw, "raw");
        this.fd = fd;
        this.scratch = new Scratch(raw, iovecs);
        this.stats = EndStatistics.open(fd, end);
        this.resources = new EndResources(raw, fd, owned, scratch.memory, scratch.counter(), stats);
        this.handle = new DescriptorHandle(fd, resources::release);
        this.cleanable = Cleaners.CLEANER.register(this, handle::closeDropped);
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
                    if (!isOpen()) {
                        return false;
                    }
                    // Only close writes the eventfd, after the end is marked closed: a wait that
                    // ended here with the end open must not let the call count itself complete.
                    throw new PipeException("poll(fd=" + fd + ", eventfd=" + efd + ")", Errno.EIO.code(),
                            "the end's wake eventfd is readable while the end is open");
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

    final short revents(int i) {
        return scratch.revents(i);
    }

    final void pollfd(int i, int descriptor, short events) {
        scratch.pollfd(i, descriptor, events);
    }
}
