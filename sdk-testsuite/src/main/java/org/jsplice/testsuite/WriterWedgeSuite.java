package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jsplice.Pipe;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterBuilder;
import org.jsplice.PipeWriterStalledException;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No claim wedges a {@link PipeWriter}, on platform threads and on virtual ones: a claim whose thread
 * has ended, a live thread that holds a claim it never commits beside a large record, waits that
 * close or an interrupt must end, and a kept region used after its memory was claimed again. Every
 * writer here has four or five regions, so that a handful of threads holds them all. Runs with the provider
 * discovery picks (JNA here, FFM in sdk-ffm's run).
 */
public abstract class WriterWedgeSuite extends ProviderSuite {
    private static final int REGION = 4096;
    private static final int SLOTS = 4;

    /** The kind of thread every actor of a test runs on. */
    enum Threads {
        PLATFORM, VIRTUAL;

        Thread start(String name, Runnable task) {
            Thread t;
            if (this == VIRTUAL) {
                assumeTrue(Loom.available(), Loom.REASON);
                t = Loom.unstarted(task);
            } else {
                t = new Thread(task);
                t.setDaemon(true);
            }
            t.setName(name);
            t.start();
            return t;
        }
    }

    /** Writers of four regions, one per way of reusing them. */
    enum Layout {
        COPY, FRESH_PAGES, RING;

        PipeWriterBuilder apply(PipeWriterBuilder b) {
            switch (this) {
                case COPY:
                    return b.mode(PipeWriter.Mode.COPY).regionSize(REGION);
                case FRESH_PAGES:
                    // Four regions of 4 MiB make the 16 MiB of fresh memory.
                    return b.mode(PipeWriter.Mode.FRESH_PAGES).hugePages(false).regionSize(4 << 20);
                default:
                    // A pipe of one page, so that the record waits in the pipe while regions are
                    // still free: a ring's regions are free again only once the consumer took them.
                    return b.policy(PipeWriter.Policy.RECYCLE).ringSize((SLOTS + 1) * REGION).regionSize(REGION)
                            .pipeCapacity(REGION);
            }
        }
    }

    static byte recordByte(long i) {
        return (byte) (i * 7 + (i >>> 9) + 1);
    }

    static ByteBuffer record(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            b.put(i, recordByte(i));
        }
        return b;
    }

    /** Runs {@code task} on a thread of the kind, and rethrows what it threw. */
    static void on(Threads kind, ThrowingTask task) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = kind.start("on", () -> {
            try {
                task.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join(120_000);
        assertFalse(t.isAlive(), "the task did not end");
        if (failure.get() instanceof Exception) {
            throw (Exception) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    interface ThrowingTask {
        void run() throws Exception;
    }

    /** A thread that claims a region and waits until {@code release} before it aborts it. */
    static Thread holdClaim(Threads kind, PipeWriter writer, CountDownLatch held, CountDownLatch release) {
        return kind.start("idle claimant", () -> {
            try {
                PipeWriter.Region r = writer.claim();
                held.countDown();
                release.await();
                writer.abort(r);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(120)
    void claimsOfThreadsThatEndedAreAbortedWhenAnotherThreadNeedsTheWriter(Threads kind) throws Exception {
        for (Layout layout : Layout.values()) {
            try (Pipe pipe = Pipes.open()) {
                PipeWriter writer = layout.apply(PipeWriter.builder(pipe.sink())).build();
                // Every region claimed by a thread that then ends, holding it.
                for (int i = 0; i < SLOTS; i++) {
                    kind.start("dies holding a claim", () -> {
                        try {
                            writer.claim().buffer().put(0, (byte) 'X');
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }).join();
                }
                ByteBuffer big = record(3 * writer.regionSize() + 100);
                try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 30)) {
                    on(kind, () -> {
                        writer.write(new byte[] {1, 2, 3}, 0, 3);
                        writer.write(big.duplicate());
                    });
                    writer.close();
                    pipe.sink().close();
                    byte[] got = drain.await(Duration.ofSeconds(60));
                    assertEquals(3 + big.capacity(), got.length, layout.name());
                    assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(got, 3), layout.name());
                    assertEquals(big, ByteBuffer.wrap(got, 3, big.capacity()), layout + ": the record arrived changed");
                }
            }
        }
    }

    /**
     * A live thread holds a claim it never commits (a stream with an unflushed byte) while a record
     * eight times the pipe holds the commit lock, and commits of other threads hold every other
     * region waiting for it: the record still goes on, whole, and then every commit.
     */
    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(180)
    void anIdleClaimantBesideALargeRecordBlocksNobody(Threads kind) throws Exception {
        for (Layout layout : Layout.values()) {
            try (Pipe pipe = Pipes.open()) {
                PipeWriter writer = layout.apply(PipeWriter.builder(pipe.sink())).build();
                int region = writer.regionSize();
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Thread idle = kind.start("idle stream", () -> {
                    try {
                        OutputStream s = writer.asOutputStream();
                        s.write('i'); // claims a region, and keeps it until flushed
                        held.countDown();
                        release.await();
                        s.flush();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                held.await();
                int size = Math.max(8 << 20, 3 * region);
                ByteBuffer big = record(size);
                AtomicReference<Throwable> recordEnd = new AtomicReference<>();
                Thread rec = kind.start("large record", () -> {
                    try {
                        writer.write(big.duplicate()); // nobody reads yet: it waits for room, holding the lock
                    } catch (Throwable t) {
                        recordEnd.set(t);
                    }
                });
                while (pipe.sink().queued() == 0 && rec.isAlive()) {
                    Thread.sleep(5);
                }
                // The record's part in the pipe holds one region, the idle stream one, two commits the
                // other two; a third commit waits for a region, and takes the next one a part frees.
                List<Thread> committers = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                CountDownLatch claimed = new CountDownLatch(SLOTS - 2);
                for (int c = 0; c < SLOTS - 1; c++) {
                    if (c == SLOTS - 2) {
                        claimed.await();
                    }
                    committers.add(kind.start("committer", () -> {
                        try {
                            PipeWriter.Region r = writer.claim();
                            claimed.countDown();
                            ByteBuffer b = r.buffer();
                            for (int i = 0; i < REGION; i++) {
                                b.put(i, (byte) 'c');
                            }
                            writer.commit(r, REGION);
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                }
                Thread.sleep(100); // the commits wait behind the record, and every region is held
                try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 30)) {
                    rec.join(60_000);
                    assertFalse(rec.isAlive(), layout + ": the record waits for good beside an idle claim");
                    assertNull(recordEnd.get(), layout + ": " + recordEnd.get());
                    for (Thread t : committers) {
                        t.join(60_000);
                        assertFalse(t.isAlive(), layout + ": a commit waits for good");
                    }
                    assertEquals(List.of(), failures, layout.name());
                    release.countDown();
                    idle.join(60_000);
                    writer.close();
                    pipe.sink().close();
                    byte[] got = drain.await(Duration.ofSeconds(60));
                    assertEquals(size + (SLOTS - 1) * REGION + 1, got.length, layout.name());
                    // The record is whole: its bytes in order, with no commit between them.
                    int start = 0;
                    while (got[start] == 'c') {
                        start++;
                    }
                    assertEquals(big, ByteBuffer.wrap(got, start, size), layout + ": the record arrived interleaved or changed");
                }
            }
        }
    }

    /**
     * Every region held by live threads that commit none of them: a write waits out the stall
     * timeout and fails, nothing of it sent, and goes through once a claim is given back.
     */
    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(120)
    void aWriteThatOnlyIdleClaimsBlockFailsWithinTheStallTimeoutAndSendsNothing(Threads kind) throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION)
                    .stallTimeout(Duration.ofMillis(300)).build();
            CountDownLatch held = new CountDownLatch(SLOTS);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> idle = new ArrayList<>();
            for (int i = 0; i < SLOTS; i++) {
                idle.add(holdClaim(kind, writer, held, release));
            }
            held.await();
            on(kind, () -> {
                PipeWriterStalledException e = assertThrows(PipeWriterStalledException.class,
                        () -> writer.write(new byte[100], 0, 100));
                assertEquals(0, e.bytesTransferred());
                assertTrue(e.idleThread().contains("idle claimant"), e.getMessage());
                assertTrue(e.waitedMillis() >= 300, e.getMessage());
            });
            assertEquals(0, writer.committed());
            assertEquals(0, pipe.sink().queued(), "a byte of the failed write reached the pipe");
            release.countDown();
            for (Thread t : idle) {
                t.join(60_000);
            }
            on(kind, () -> writer.write(new byte[100], 0, 100));
            assertEquals(100, pipe.sink().queued());
            writer.close();
        }
    }

    /**
     * Closing the writer ends a claim that waits for a region and a commit that waits behind a
     * record the consumer holds up, nothing of either sent; the record goes on to its end.
     */
    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(120)
    void closeEndsTheWaitsForARegionAndForTheCommitLock(Threads kind) throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION).build();
            CountDownLatch held = new CountDownLatch(SLOTS - 2);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < SLOTS - 2; i++) {
                holdClaim(kind, writer, held, release);
            }
            held.await();
            int size = 8 << 20;
            ByteBuffer big = record(size);
            AtomicReference<Throwable> recordEnd = new AtomicReference<>();
            Thread rec = kind.start("large record", () -> {
                try {
                    writer.write(big.duplicate());
                } catch (Throwable t) {
                    recordEnd.set(t);
                }
            });
            while (pipe.sink().queued() == 0) {
                Thread.sleep(5);
            }
            AtomicReference<Throwable> commitEnd = new AtomicReference<>();
            CountDownLatch commitClaimed = new CountDownLatch(1);
            Thread commit = kind.start("commit behind the record", () -> {
                try {
                    PipeWriter.Region r = writer.claim();
                    r.buffer().put(0, (byte) 'c');
                    commitClaimed.countDown();
                    writer.commit(r, 1);
                } catch (Throwable t) {
                    commitEnd.set(t);
                }
            });
            commitClaimed.await();
            AtomicReference<Throwable> claimEnd = new AtomicReference<>();
            CountDownLatch claiming = new CountDownLatch(2);
            List<Thread> claimers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                // Every region is held (two idle claims, the record's part, the commit): both wait.
                claimers.add(kind.start("claimer", () -> {
                    try {
                        claiming.countDown();
                        PipeWriter.Region r = writer.claim();
                        release.await();
                        writer.abort(r);
                    } catch (Throwable t) {
                        claimEnd.set(t);
                    }
                }));
            }
            claiming.await();
            Thread.sleep(200);
            assertTrue(commit.isAlive() && rec.isAlive(), "the commit and the record wait: " + commitEnd.get());
            assertNull(claimEnd.get());
            writer.close();
            commit.join(10_000);
            assertFalse(commit.isAlive(), "close did not end the wait for the commit lock");
            assertTrue(commitEnd.get() instanceof PipeAsynchronousCloseException, String.valueOf(commitEnd.get()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (claimEnd.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(claimEnd.get() instanceof PipeAsynchronousCloseException, "close did not end the wait for a region: "
                    + claimEnd.get());
            try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 30)) {
                rec.join(60_000);
                assertNull(recordEnd.get(), String.valueOf(recordEnd.get()));
                release.countDown();
                for (Thread t : claimers) {
                    t.join(60_000);
                }
                pipe.sink().close();
                byte[] got = drain.await(Duration.ofSeconds(60));
                assertEquals(big, ByteBuffer.wrap(got), "the record arrived changed, or the closed commit's byte with it");
            }
        }
    }

    /**
     * A region kept by one thread after its commit stays dead while other threads claim its memory
     * again and again: puts through it throw, its commit is refused, and no stray byte reaches the
     * pipe.
     */
    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(120)
    void aStaleRegionOfOneThreadNeverWritesIntoAnotherThreadsClaim(Threads kind) throws Exception {
        for (Layout layout : Layout.values()) {
            try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 30)) {
                PipeWriter writer = layout.apply(PipeWriter.builder(pipe.sink())).build();
                int region = writer.regionSize();
                AtomicReference<PipeWriter.Region> stale = new AtomicReference<>();
                on(kind, () -> {
                    PipeWriter.Region r = writer.claim();
                    r.buffer().put(0, (byte) 'A');
                    writer.commit(r, 1);
                    stale.set(r);
                });
                ByteBuffer kept = stale.get().buffer();
                CountDownLatch claimedAgain = new CountDownLatch(1);
                CountDownLatch tried = new CountDownLatch(1);
                AtomicReference<Throwable> other = new AtomicReference<>();
                Thread owner = kind.start("later claims", () -> {
                    try {
                        String memory = stale.get().toString(); // names its slot
                        for (int round = 0; round < 2 * SLOTS + 2; round++) {
                            PipeWriter.Region r = writer.claim();
                            ByteBuffer b = r.buffer();
                            for (int i = 0; i < region; i += 512) {
                                b.put(i, (byte) 'B');
                            }
                            if (r.toString().equals(memory) && claimedAgain.getCount() > 0) {
                                claimedAgain.countDown(); // this claim holds the stale region's memory
                                tried.await();
                            }
                            writer.commit(r, region);
                        }
                    } catch (Throwable t) {
                        other.set(t);
                    }
                });
                assertTrue(claimedAgain.await(60, java.util.concurrent.TimeUnit.SECONDS),
                        layout + ": no later claim got the stale region's memory: " + other.get());
                on(kind, () -> {
                    assertThrows(IndexOutOfBoundsException.class, () -> kept.put(0, (byte) 'X'));
                    assertThrows(IllegalStateException.class, () -> writer.commit(stale.get(), 1));
                    assertThrows(IllegalStateException.class, () -> writer.abort(stale.get()));
                });
                tried.countDown();
                owner.join(60_000);
                assertNull(other.get(), String.valueOf(other.get()));
                writer.close();
                pipe.sink().close();
                byte[] got = drain.await(Duration.ofSeconds(60));
                assertEquals(1 + (2L * SLOTS + 2) * region, got.length, layout.name());
                for (int i = 1; i < got.length; i++) {
                    assertTrue(got[i] == 'B' || got[i] == 0, layout + ": a stray byte at " + i + ": " + got[i]);
                }
            }
        }
    }
}
