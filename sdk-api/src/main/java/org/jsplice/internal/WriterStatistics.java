package org.jsplice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of one {@code PipeWriter} for {@code org.jsplice.WriterStatistics}: written under the
 * writer's locks, read by JFR's periodic thread; no reference to the writer.
 */
public final class WriterStatistics implements Runnable {
    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle COMMITTED;
    private static final VarHandle COMMITS;
    private static final VarHandle RENEWALS;
    private static final VarHandle WAITS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COMMITTED = l.findVarHandle(WriterStatistics.class, "committed", long.class);
            COMMITS = l.findVarHandle(WriterStatistics.class, "commits", long.class);
            RENEWALS = l.findVarHandle(WriterStatistics.class, "renewals", long.class);
            WAITS = l.findVarHandle(WriterStatistics.class, "waits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id = IDS.incrementAndGet();
    final String mode;
    final int fd;
    private long committed;
    private long commits;
    private long renewals;
    private long waits;

    private WriterStatistics(String mode, int fd) {
        this.mode = mode;
        this.fd = fd;
    }

    /**
     * The figures of a writer just built, registered for the periodic event.
     *
     * @param mode the writer's mode
     * @param fd its sink's descriptor, or -1
     * @return the figures
     */
    public static WriterStatistics open(String mode, int fd) {
        WriterStatistics s = new WriterStatistics(mode, fd);
        Jfr.WRITERS.add(s);
        Jfr.recorder();
        return s;
    }

    /**
     * A commit, whole or failed.
     *
     * @param bytes the bytes it moved into the pipe
     */
    public void committed(long bytes) {
        COMMITS.setOpaque(this, commits + 1);
        COMMITTED.setOpaque(this, committed + bytes);
    }

    /** A span of memory renewed. */
    public void renewed() {
        RENEWALS.setOpaque(this, renewals + 1);
    }

    /** A claim that had to wait. */
    public void waited() {
        WAITS.setOpaque(this, waits + 1);
    }

    /** The writer is closed, or was dropped: its last event, and out of the registry. */
    @Override
    public void run() {
        if (Jfr.WRITERS.remove(this) && Jfr.registered()) {
            Jfr.emit(this, true);
        }
    }

    long committed() {
        return (long) COMMITTED.getOpaque(this);
    }

    long commits() {
        return (long) COMMITS.getOpaque(this);
    }

    long renewals() {
        return (long) RENEWALS.getOpaque(this);
    }

    long waits() {
        return (long) WAITS.getOpaque(this);
    }
}
