package org.jsplice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of one pipe end for {@code org.jsplice.PipeStatistics}: written by the one call at a
 * time that holds the end's transfer lock, read by JFR's periodic thread. Holds no reference to
 * the end, so that a dropped end stays collectable.
 */
public final class EndStatistics {
    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle BYTES;
    private static final VarHandle CALLS;
    private static final VarHandle WAITS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES = l.findVarHandle(EndStatistics.class, "bytes", long.class);
            CALLS = l.findVarHandle(EndStatistics.class, "calls", long.class);
            WAITS = l.findVarHandle(EndStatistics.class, "waits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id = IDS.incrementAndGet();
    final int fd;
    final String end;
    private long bytes;
    private long calls;
    private long waits;

    private EndStatistics(int fd, String end) {
        this.fd = fd;
        this.end = end;
    }

    /**
     * The figures of an end just opened, registered for the periodic event.
     *
     * @param fd its descriptor
     * @param end {@code sink} or {@code source}
     * @return the figures
     */
    public static EndStatistics open(int fd, String end) {
        EndStatistics s = new EndStatistics(fd, end);
        Jfr.ENDS.add(s);
        Jfr.recorder();
        return s;
    }

    /**
     * A call that did not wait.
     *
     * @param moved the bytes it moved
     */
    public void add(long moved) {
        CALLS.setOpaque(this, calls + 1);
        BYTES.setOpaque(this, bytes + moved);
    }

    /**
     * A call that waited.
     *
     * @param moved the bytes it moved
     * @param waitCount how often it waited
     */
    public void add(long moved, int waitCount) {
        add(moved);
        WAITS.setOpaque(this, waits + waitCount);
    }

    /** The end is closed: its last event, and out of the registry. */
    public void closed() {
        if (Jfr.ENDS.remove(this) && Jfr.registered()) {
            Jfr.emit(this, true);
        }
    }

    long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    long calls() {
        return (long) CALLS.getOpaque(this);
    }

    long waits() {
        return (long) WAITS.getOpaque(this);
    }
}
