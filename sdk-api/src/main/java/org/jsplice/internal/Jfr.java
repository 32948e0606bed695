package org.jsplice.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jsplice's JFR events, behind a facade whose signatures name no {@code jdk.jfr} type: where the
 * runtime lacks that module, the events are off and nothing else changes. The periodic events
 * are registered on first use; until a recording enables them they cost a registry entry per
 * end.
 */
public final class Jfr {
    private static final Logger LOG = LoggerFactory.getLogger(Jfr.class);
    static final Set<EndStatistics> ENDS = ConcurrentHashMap.newKeySet();
    static final Set<WriterStatistics> WRITERS = ConcurrentHashMap.newKeySet();
    private static final boolean AVAILABLE = register();

    private Jfr() {
    }

    private static boolean register() {
        try {
            jdk.jfr.FlightRecorder.addPeriodicEvent(PipeStatisticsEvent.class, Jfr::emitEnds);
            jdk.jfr.FlightRecorder.addPeriodicEvent(WriterStatisticsEvent.class, Jfr::emitWriters);
            return true;
        } catch (Throwable e) {
            LOG.debug("jsplice's JFR events are off: {}", e.toString());
            return false;
        }
    }

    /** Makes sure the periodic events are registered. */
    static void touch() {
        // the class initializer does it
    }

    /**
     * Whether a running recording enables {@code org.jsplice.Transfer}.
     *
     * @return true if it does
     */
    public static boolean transferEnabled() {
        return AVAILABLE && TransferEvent.PROBE.isEnabled();
    }

    /**
     * Begins an {@code org.jsplice.Transfer} event: at a call's first wait.
     *
     * @return the event, to hand to {@link #commitTransfer}
     */
    public static Object beginTransfer() {
        TransferEvent e = new TransferEvent();
        e.begin();
        return e;
    }

    /**
     * Ends and commits, if it took longer than its threshold, an event from {@link #beginTransfer}.
     *
     * @param event the event
     * @param call the call's name
     * @param fd the descriptor
     * @param bytes the bytes moved
     * @param segments the segments asked for
     * @param waits how often the call waited
     * @param waitedNanos the time it waited
     */
    public static void commitTransfer(Object event, String call, int fd, long bytes, int segments, int waits, long waitedNanos) {
        TransferEvent e = (TransferEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.call = call;
            e.fd = fd;
            e.bytes = bytes;
            e.segments = segments;
            e.waits = waits;
            e.waited = waitedNanos;
            e.commit();
        }
    }

    private static void emitEnds() {
        for (EndStatistics s : ENDS) {
            emit(s, false);
        }
    }

    private static void emitWriters() {
        for (WriterStatistics s : WRITERS) {
            emit(s, false);
        }
    }

    static void emit(EndStatistics s, boolean closed) {
        PipeStatisticsEvent e = new PipeStatisticsEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.id = s.id;
        e.fd = s.fd;
        e.end = s.end;
        e.bytes = s.bytes();
        e.calls = s.calls();
        e.waits = s.waits();
        e.waited = s.waited();
        e.closed = closed;
        e.commit();
    }

    static void emit(WriterStatistics s, boolean closed) {
        WriterStatisticsEvent e = new WriterStatisticsEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.id = s.id;
        e.mode = s.mode;
        e.fd = s.fd;
        e.committed = s.committed();
        e.commits = s.commits();
        e.renewals = s.renewals();
        e.waits = s.waits();
        e.closed = closed;
        e.commit();
    }

    static boolean available() {
        return AVAILABLE;
    }
}
