package org.jsplice.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jsplice's JFR events, behind a facade whose signatures name no {@code jdk.jfr} type. Nothing of
 * JFR is loaded until the JVM's flight recorder is initialized (a recording was started, by
 * {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the API): loading an event class
 * costs 100 ms and more, which a program that records nothing must not pay. From then on, at the
 * next end opened, writer built or call that waits, the periodic events are registered, and every
 * end and writer in the registry shows in them. Where the runtime lacks {@code jdk.jfr}, the
 * events stay off.
 */
public final class Jfr {
    private static final Logger LOG = LoggerFactory.getLogger(Jfr.class);
    static final Set<EndStatistics> ENDS = ConcurrentHashMap.newKeySet();
    static final Set<WriterStatistics> WRITERS = ConcurrentHashMap.newKeySet();
    private static volatile boolean registered;
    private static volatile boolean absent;

    private Jfr() {
    }

    /**
     * Whether the flight recorder is initialized in this JVM, registering the periodic events the
     * first time it is: a static field read once JFR's classes are loaded.
     *
     * @return true once the events are registered
     */
    public static boolean recorder() {
        if (registered) {
            return true;
        }
        if (absent) {
            return false;
        }
        try {
            if (!jdk.jfr.FlightRecorder.isInitialized()) {
                return false;
            }
            synchronized (Jfr.class) {
                if (!registered) {
                    jdk.jfr.FlightRecorder.addPeriodicEvent(PipeStatisticsEvent.class, Jfr::emitEnds);
                    jdk.jfr.FlightRecorder.addPeriodicEvent(WriterStatisticsEvent.class, Jfr::emitWriters);
                    registered = true;
                }
            }
            return true;
        } catch (LinkageError | RuntimeException e) {
            absent = true;
            LOG.debug("jsplice's JFR events are off: {}", e.toString());
            return false;
        }
    }

    /**
     * Whether a running recording enables {@code org.jsplice.Transfer}.
     *
     * @return true if it does
     */
    public static boolean transferEnabled() {
        return recorder() && TransferEvent.PROBE.isEnabled();
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

    /**
     * Whether a running recording enables {@code org.jsplice.ChildRun}.
     *
     * @return true if it does
     */
    public static boolean childRunEnabled() {
        return recorder() && ChildRunEvent.PROBE.isEnabled();
    }

    /**
     * Begins an {@code org.jsplice.ChildRun} event, as a run starts.
     *
     * @return the event, to hand to {@link #commitChildRun}
     */
    public static Object beginChildRun() {
        ChildRunEvent e = new ChildRunEvent();
        e.begin();
        return e;
    }

    /**
     * Ends and commits an event from {@link #beginChildRun}.
     *
     * @param event the event
     * @param command the commands, as a shell shows a pipeline
     * @param pid the first child's pid, which is also the run's process group
     * @param statuses how each child ended
     * @param bytesIn the bytes that reached the first child
     * @param bytesOut the bytes taken from the last child
     * @param failed the side that failed first, or empty
     * @param signals the signals sent to the tree, or empty
     */
    public static void commitChildRun(Object event, String command, int pid, String statuses, long bytesIn, long bytesOut,
            String failed, String signals) {
        ChildRunEvent e = (ChildRunEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.command = command;
            e.pid = pid;
            e.statuses = statuses;
            e.bytesIn = bytesIn;
            e.bytesOut = bytesOut;
            e.failed = failed;
            e.signals = signals;
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

    static boolean registered() {
        return registered;
    }
}
