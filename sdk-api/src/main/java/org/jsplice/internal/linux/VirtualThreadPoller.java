package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.EPOLLERR;
import static org.jsplice.internal.linux.Linux.EPOLLHUP;
import static org.jsplice.internal.linux.Linux.EPOLLONESHOT;
import static org.jsplice.internal.linux.Linux.EPOLL_CTL_ADD;
import static org.jsplice.internal.linux.Linux.EPOLL_CTL_DEL;
import static org.jsplice.internal.linux.Linux.EPOLL_CTL_MOD;
import static org.jsplice.internal.linux.Linux.EPOLL_EVENT_PACKED;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.Errno;
import org.jsplice.PipeException;
import org.jsplice.spi.SystemCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks virtual threads until their descriptors are ready, so that a waiting transfer frees its
 * carrier: a few platform threads, each in {@code epoll_wait(2)} over every descriptor that a
 * virtual thread waits on, unpark the waiters when the kernel reports them ready.
 *
 * <p>A descriptor always goes to the same poller ({@code fd % pollers}), registered {@code
 * EPOLLONESHOT} for the union of what its waiters want; several waiters may share one descriptor
 * (a splice into a sink that another thread writes). Each descriptor's interest has a lock of its
 * own, so that a poller waking a thousand waiters never holds up a carrier that registers another
 * descriptor; its registration leaves the kernel before it leaves the map, so that a new interest
 * in the same number never meets a late delete. A registration is deleted as soon as its last
 * waiter is woken or gives up, so none is left behind on a descriptor number that a later
 * {@code open} may reuse; a late event for such a number only wakes its new waiter once too often,
 * and every waiter tries its non-blocking call again before it waits again. Close and interrupt do
 * not go through the poller: they unpark the waiter directly ({@link LinuxPipeEnd#implCloseChannel}).
 *
 * <p>The number of pollers is {@code max(1, highestOneBit(cpus / 4))}, as the JDK's own, or
 * {@code -Dorg.jsplice.pollers=N}.
 */
final class VirtualThreadPoller {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualThreadPoller.class);

    // <sys/epoll.h>
    static final int EVENT_SIZE = EPOLL_EVENT_PACKED ? 12 : 16;
    static final int DATA_OFFSET = EPOLL_EVENT_PACKED ? 4 : 8;
    private static final int MAX_EVENTS = 512;
    private static final int COUNT = Math.max(1, Integer.getInteger("org.jsplice.pollers",
            Math.max(1, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() / 4))));
    private static final VirtualThreadPoller[] NONE = {};
    private static final Map<SystemCalls, VirtualThreadPoller[]> POLLERS = new ConcurrentHashMap<>();

    private final SystemCalls raw;
    private final int epfd;
    /** The poller thread's own {@code struct epoll_event} for {@code epoll_ctl}. */
    private final Event ctlEvent;
    private final Map<Integer, Interest> interests = new ConcurrentHashMap<>();
    /** The poller thread's own list of waiters to wake. */
    private final List<Registration> woken = new ArrayList<>();

    /** A {@code struct epoll_event} in native memory that one thread at a time uses. */
    static final class Event {
        final ByteBuffer memory;
        final int offset;
        final long address;

        Event(SystemCalls raw, ByteBuffer memory, int offset) {
            this.memory = memory;
            this.offset = offset;
            this.address = raw.address(memory) + offset;
        }

        void set(int events, int fd) {
            memory.putInt(offset, events);
            memory.putLong(offset + DATA_OFFSET, fd);
        }
    }

    /** One thread's wait: bit 1 its own descriptor, bit 2 the other one. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        final AtomicInteger ready = new AtomicInteger();

        void fire(int bit) {
            ready.getAndAccumulate(bit, (a, b) -> a | b);
            LockSupport.unpark(thread);
        }
    }

    /** A waiter's interest in one descriptor. */
    static final class Registration {
        final Waiter waiter;
        final int fd;
        final int events;
        final int bit;
        /** Set under its interest's lock once the registration has left it (fired, or never entered). */
        boolean done;

        Registration(Waiter waiter, int fd, int events, int bit) {
            this.waiter = waiter;
            this.fd = fd;
            this.events = events;
            this.bit = bit;
        }
    }

    /** The registrations of one descriptor and the mask it is armed with; guarded by itself. */
    private static final class Interest {
        final List<Registration> registrations = new ArrayList<>(2);
        int armed;
        /** Deleted from the kernel and about to leave the map: a registrant must make a new one. */
        boolean dead;

        int mask() {
            int m = 0;
            for (Registration r : registrations) {
                m |= r.events;
            }
            return m;
        }
    }

    private VirtualThreadPoller(SystemCalls raw, int epfd, int index) {
        this.raw = raw;
        this.epfd = epfd;
        this.ctlEvent = new Event(raw, raw.allocate(16), 0);
        Thread t = new Thread(this::run, "jsplice-poller-" + index);
        t.setDaemon(true);
        t.start();
    }

    /** The pollers over {@code raw}, started on first need; none where {@code epoll} is not bound. */
    static VirtualThreadPoller[] of(SystemCalls raw) {
        VirtualThreadPoller[] p = POLLERS.get(raw);
        return p != null ? p : POLLERS.computeIfAbsent(raw, VirtualThreadPoller::start);
    }

    private static VirtualThreadPoller[] start(SystemCalls raw) {
        VirtualThreadPoller[] pollers = new VirtualThreadPoller[COUNT];
        for (int i = 0; i < COUNT; i++) {
            int epfd = raw.epollCreate();
            if (epfd < 0) {
                LOG.debug("epoll_create1 failed ({}): virtual threads wait between non-blocking looks", Errno.of(-epfd));
                return NONE;
            }
            pollers[i] = new VirtualThreadPoller(raw, epfd, i);
        }
        return pollers;
    }

    /**
     * Parks the current virtual thread until {@code fd} is ready for {@code events} and, when
     * {@code other >= 0}, {@code other} for {@code otherEvents}; or until {@code end} is closed (an
     * interrupt closes it).
     *
     * @return false when the end was closed
     */
    static boolean await(VirtualThreadPoller[] pollers, LinuxChannel end, int fd, int events, int other, int otherEvents)
            throws PipeException {
        Waiter w = new Waiter();
        int want = other >= 0 ? 3 : 1;
        Event event = end.epollEvent();
        Registration mine = pollers[index(pollers, fd)].register(w, fd, events, 1, event);
        Registration theirs = null;
        end.parked = w.thread;
        try {
            if (other >= 0) {
                theirs = pollers[index(pollers, other)].register(w, other, otherEvents, 2, event);
            }
            while (end.isOpen()) {
                if ((w.ready.get() & want) == want) {
                    return true;
                }
                LockSupport.park(end);
            }
            return false;
        } finally {
            end.parked = null;
            pollers[index(pollers, fd)].deregister(mine, event);
            if (theirs != null) {
                pollers[index(pollers, other)].deregister(theirs, event);
            }
        }
    }

    private static int index(VirtualThreadPoller[] pollers, int fd) {
        return (fd & Integer.MAX_VALUE) % pollers.length;
    }

    private Registration register(Waiter w, int fd, int events, int bit, Event event) throws PipeException {
        Registration r = new Registration(w, fd, events, bit);
        for (;;) {
            Interest in = interests.computeIfAbsent(fd, k -> new Interest());
            synchronized (in) {
                if (in.dead) {
                    continue; // its delete is done; the next look finds a new one
                }
                boolean fresh = in.registrations.isEmpty() && in.armed == 0;
                int mask = in.armed | events;
                if (fresh || mask != in.armed) {
                    int err = ctl(fresh ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, mask, event);
                    if (err == Errno.EEXIST.code() || err == Errno.ENOENT.code()) {
                        err = ctl(fresh ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, mask, event);
                    }
                    if (err != 0) {
                        if (in.registrations.isEmpty()) {
                            forget(fd, in, event, false);
                        }
                        if (err == Errno.EPERM.code() || err == Errno.EBADF.code()) {
                            // A regular file is always ready (poll(2) says so too); a closed number
                            // is reported by the call the waiter makes next. Either way: do not wait.
                            r.done = true;
                            w.ready.getAndAccumulate(bit, (a, b) -> a | b);
                            return r;
                        }
                        throw new PipeException("epoll_ctl(epfd=" + epfd + ", fd=" + fd + ")", err);
                    }
                    in.armed = mask;
                }
                in.registrations.add(r);
                return r;
            }
        }
    }

    private void deregister(Registration r, Event event) {
        Interest in = interests.get(r.fd);
        if (in == null) {
            return;
        }
        synchronized (in) {
            if (r.done || !in.registrations.remove(r)) {
                return;
            }
            r.done = true;
            rearm(r.fd, in, event);
        }
    }

    /** After registrations left {@code in}, under its lock: deletes it when none is left, else arms it for the rest. */
    private void rearm(int fd, Interest in, Event event) {
        if (in.registrations.isEmpty()) {
            forget(fd, in, event, true);
        } else {
            int mask = in.mask();
            in.armed = ctl(EPOLL_CTL_MOD, fd, mask, event) == 0 ? mask : 0;
        }
    }

    /** Out of the kernel first, then out of the map; under {@code in}'s lock. */
    private void forget(int fd, Interest in, Event event, boolean inKernel) {
        if (inKernel) {
            ctl(EPOLL_CTL_DEL, fd, 0, event);
        }
        in.dead = true;
        interests.remove(fd, in);
    }

    /** {@code epoll_ctl} with the {@code struct epoll_event} at {@code event}; returns 0 or the errno. */
    private int ctl(int op, int fd, int events, Event event) {
        event.set(events | EPOLLONESHOT, fd);
        int r = raw.epollCtl(epfd, op, fd, event.address);
        return r < 0 ? -r : 0;
    }

    private void run() {
        ByteBuffer events = raw.allocate(MAX_EVENTS * EVENT_SIZE);
        long address = raw.address(events);
        for (;;) {
            int n = raw.epollWait(epfd, address, MAX_EVENTS, -1);
            if (n < 0) {
                if (n != -Errno.EINTR.code()) {
                    LOG.error("epoll_wait(epfd={}) failed: {}; virtual threads waiting on pipes may not wake", epfd, Errno.of(-n));
                    LockSupport.parkNanos(10_000_000);
                }
                continue;
            }
            for (int i = 0; i < n; i++) {
                int revents = events.getInt(i * EVENT_SIZE);
                int fd = (int) events.getLong(i * EVENT_SIZE + DATA_OFFSET);
                fire(fd, revents);
            }
            for (Registration r : woken) {
                r.waiter.fire(r.bit);
            }
            woken.clear();
        }
    }

    /** The kernel reported {@code fd}: its ONESHOT registration is disarmed now. */
    private void fire(int fd, int revents) {
        Interest in = interests.get(fd);
        if (in == null) {
            return;
        }
        synchronized (in) {
            if (in.dead) {
                return;
            }
            in.armed = 0;
            for (Iterator<Registration> it = in.registrations.iterator(); it.hasNext();) {
                Registration r = it.next();
                if (((r.events | EPOLLERR | EPOLLHUP) & revents) != 0) {
                    it.remove();
                    r.done = true;
                    woken.add(r);
                }
            }
            rearm(fd, in, ctlEvent);
        }
    }
}
