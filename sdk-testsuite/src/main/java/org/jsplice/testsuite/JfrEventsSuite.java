package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording with the JDK's {@code profile} settings holds jsplice's events: a transfer that waited
 * longer than 20 ms, and per end and per writer totals whose bytes add up to what moved.
 */
public abstract class JfrEventsSuite extends ProviderSuite {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aChildRunIsRecordedWithItsCommandPidStatusesAndBytes() throws Exception {
        Path file = dir.resolve("child.jfr");
        org.jsplice.process.ChildRun.Result r;
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            r = org.jsplice.process.ChildRun.of(new ProcessBuilder("cat"))
                    .input(org.jsplice.process.ChildInput.bytes(new byte[5000])).run();
            recording.stop();
            recording.dump(file);
        }
        RecordedEvent run = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("org.jsplice.ChildRun")).findFirst()
                .orElseThrow(() -> new AssertionError("no org.jsplice.ChildRun event"));
        assertEquals("cat", run.getString("command"));
        assertEquals((int) r.pids().get(0), run.getInt("pid"));
        assertEquals("[exit 0]", run.getString("statuses"));
        assertEquals(5000, run.getLong("bytesIn"));
        assertEquals(5000, run.getLong("bytesOut"));
        assertEquals("", run.getString("failed"));
        assertEquals(List.of("jsplice"), run.getEventType().getCategoryNames());
    }

    @Test
    void aProfileRecordingShowsSlowTransfersAndTotalsThatAddUp() throws Exception {
        Path file = dir.resolve("run.jfr");
        long viaWriter = 6L * MIB;
        java.util.Set<Integer> ours;
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            try (Pipe pipe = Pipes.open(); NativeBuffer memory = Pipes.allocate(4 * MIB)) {
                pipe.sink().capacity(65536);
                ours = java.util.Set.of(((org.jsplice.internal.linux.LinuxPipeEnd) pipe.sink()).fd(),
                        ((org.jsplice.internal.linux.LinuxPipeEnd) pipe.source()).fd());
                // The reader starts 100 ms late: the writer waits for room longer than the threshold.
                CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> drain(pipe, 100));
                pipe.sink().vmspliceFully(List.of(memory.slice(0, 4 * MIB)));
                try (PipeWriter writer = PipeWriter.builder(pipe.sink()).build()) {
                    for (long sent = 0; sent < viaWriter; sent += 256 << 10) {
                        writer.write(ByteBuffer.allocate(256 << 10));
                    }
                }
                pipe.sink().close();
                assertEquals(4L * MIB + viaWriter, reader.get());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        RecordedEvent slow = events.stream().filter(e -> e.getEventType().getName().equals("org.jsplice.Transfer")
                && e.getString("call").equals("vmspliceFully")).findFirst().orElseThrow(
                        () -> new AssertionError("no org.jsplice.Transfer event for the writer that waited 100 ms"));
        assertEquals(4L * MIB, slow.getLong("bytes"));
        assertEquals(1, slow.getInt("segments"));
        assertTrue(slow.getInt("waits") >= 1);
        assertTrue(slow.getDuration().toMillis() >= 20, "recorded above the threshold: " + slow.getDuration());
        assertTrue(slow.getDuration("waited").toMillis() >= 20, "time waited: " + slow.getDuration("waited"));
        assertTrue(slow.getStackTrace() == null, "no stack trace unless asked for");
        assertEquals(List.of("jsplice"), slow.getEventType().getCategoryNames());

        // The last figures of each of this pipe's ends (the writer probes the kernel with a pipe of
        // its own): the sink's and the source's bytes each add up to what moved.
        Map<Long, RecordedEvent> lastOfEnd = new HashMap<>();
        Map<Long, RecordedEvent> lastOfWriter = new HashMap<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("org.jsplice.PipeStatistics") && ours.contains(e.getInt("fd"))) {
                lastOfEnd.merge(e.getLong("id"), e, (a, b) -> b.getLong("bytes") >= a.getLong("bytes") ? b : a);
            } else if (e.getEventType().getName().equals("org.jsplice.WriterStatistics")) {
                lastOfWriter.merge(e.getLong("id"), e, (a, b) -> b.getLong("committed") >= a.getLong("committed") ? b : a);
            }
        }
        long sunk = 0;
        long sourced = 0;
        for (RecordedEvent e : lastOfEnd.values()) {
            if (e.getString("end").equals("sink")) {
                sunk += e.getLong("bytes");
            } else {
                sourced += e.getLong("bytes");
            }
        }
        assertEquals(4L * MIB + viaWriter, sunk, "the sinks' bytes: " + lastOfEnd.values());
        assertEquals(4L * MIB + viaWriter, sourced, "the sources' bytes: " + lastOfEnd.values());
        assertFalse(lastOfWriter.isEmpty(), "no org.jsplice.WriterStatistics event");
        long committed = lastOfWriter.values().stream().mapToLong(e -> e.getLong("committed")).sum();
        assertEquals(viaWriter, committed);
        assertEquals(viaWriter / (256 << 10), lastOfWriter.values().stream().mapToLong(e -> e.getLong("commits")).sum());
        assertTrue(lastOfWriter.values().stream().allMatch(e -> e.getBoolean("closed")), "the closed writer's last event says so");
    }

    private static long drain(Pipe pipe, long delayMillis) {
        try {
            Thread.sleep(delayMillis);
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            long got = 0;
            int r;
            while ((r = pipe.source().read(b)) > 0) {
                got += r;
                b.clear();
            }
            return got;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
