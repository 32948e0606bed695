package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jsplice.PartialTransfer;
import org.jsplice.Pipe;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterStalledException;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PipeWriter}'s edges around close, interrupts and the stall timeout: records after close,
 * interrupted and failing records that count what moved, consumer waits that are not stalls, a
 * thread blocked by its own claims, and records that stay whole beside idle claims under load.
 * Each test prints what it saw. Runs with the provider discovery picks (JNA here, FFM in sdk-ffm's
 * run).
 */
public abstract class WriterEdgesSuite extends ProviderSuite {
    private static final int REGION = 4096;
    private static final int SLOTS = 4;

    static void log(String s) {
        System.out.println("[writer edges] " + s);
        System.out.flush();
    }

    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Claims a region on its own thread, signals, and holds it (never commits) until release. */
    static Thread holdClaim(PipeWriter writer, CountDownLatch held, CountDownLatch release) {
        return WriterWedgeSuite.holdClaim(WriterWedgeSuite.Threads.PLATFORM, writer, held, release);
    }

    /** No claim at close, so the memory is released: a large record afterwards is refused, and never uses it. */
    @Test
    @Timeout(60)
    void aLargeRecordAfterCloseIsRefusedAndNeverTouchesTheReleasedMemory() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION).build();
            writer.close();
            Throwable small = catchIt(() -> writer.write(new byte[10], 0, 10));
            ByteBuffer rec = ByteBuffer.allocate(3 * REGION);
            for (int i = 0; i < rec.capacity(); i++) {
                rec.put(i, (byte) ('a' + i % 26));
            }
            Throwable large = catchIt(() -> writer.write(rec.duplicate()));
            int queued = pipe.sink().queued();
            log("small write after close -> " + small);
            log("large write after close -> " + large + "; queued=" + queued + " committed="
                    + writer.committed());
            if (queued > 0) {
                ByteBuffer got = ByteBuffer.allocateDirect(queued);
                while (got.hasRemaining()) {
                    pipe.source().read(got);
                }
                got.flip();
                log("the " + queued + " bytes that reached the pipe after close, from the released arena, equal the record: "
                        + got.equals(rec));
            }
            assertTrue(small instanceof IllegalStateException);
            assertTrue(large instanceof IllegalStateException && String.valueOf(large.getMessage()).contains("PipeWriter is closed"),
                    "a large record after close is not refused as the javadoc says (IllegalStateException if the writer "
                            + "is closed); it ran on released memory and ended with: " + large);
        }
    }

    /** A live thread's claim outstanding at close: a large record afterwards is refused, nothing of it sent. */
    @Test
    @Timeout(60)
    void aLargeRecordAfterCloseIsRefusedWhileAClaimIsOutstanding() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION).build();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread idle = holdClaim(writer, held, release);
            held.await();
            writer.close();
            Throwable large = catchIt(() -> writer.write(ByteBuffer.allocate(3 * REGION)));
            long queued = pipe.sink().queued();
            log("large write after close (one idle claim outstanding) -> " + large + "; queued=" + queued
                    + " committed=" + writer.committed());
            release.countDown();
            idle.join();
            assertEquals(0, queued, "a record written after close() went into the pipe");
            assertTrue(large instanceof IllegalStateException, "not refused: " + large);
        }
    }

    /** Every region idle-claimed at close: a large record afterwards is refused, and takes no spare. */
    @Test
    @Timeout(60)
    void aLargeRecordAfterCloseIsRefusedWhenEveryRegionIsHeld() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION).build();
            CountDownLatch held = new CountDownLatch(SLOTS);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> idle = new ArrayList<>();
            for (int i = 0; i < SLOTS; i++) {
                idle.add(holdClaim(writer, held, release));
            }
            held.await();
            writer.close();
            Throwable large = catchIt(() -> writer.write(ByteBuffer.allocate(3 * REGION)));
            long queued = pipe.sink().queued();
            log("large write after close (all regions idle-claimed) -> " + large + "; queued=" + queued
                    + " committed=" + writer.committed());
            release.countDown();
            for (Thread t : idle) {
                t.join();
            }
            assertEquals(0, queued, "a record written after close() went into the pipe through a spare allocated after close");
        }
    }

    @Test
    @Timeout(60)
    void anInterruptedRingRecordSaysHowManyOfItsBytesMoved() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).policy(PipeWriter.Policy.RECYCLE)
                    .pipeCapacity(1 << 16).ringSize(SLOTS * REGION).regionSize(REGION).build();
            log("writer " + writer);
            int size = 8 * REGION;
            ByteBuffer big = ByteBuffer.allocate(size);
            for (int i = 0; i < size; i++) {
                big.put(i, (byte) 'R');
            }
            AtomicReference<Throwable> end = new AtomicReference<>();
            Thread rec = start("large record", () -> {
                try {
                    writer.write(big);
                } catch (Throwable t) {
                    end.set(t);
                }
            });
            while (pipe.sink().queued() < SLOTS * REGION) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // the fifth part waits in claimPart for the consumer
            rec.interrupt();
            rec.join(10_000);
            Throwable e = end.get();
            long moved = e instanceof PartialTransfer ? ((PartialTransfer) e).bytesTransferred()
                    : e instanceof InterruptedIOException ? ((InterruptedIOException) e).bytesTransferred : -1;
            log("record ended with " + e + "; exception says bytesTransferred=" + moved + "; committed()="
                    + writer.committed() + " queued=" + pipe.sink().queued() + " src.position=" + big.position()
                    + " sinkOpen=" + pipe.sink().isOpen());
            // Another thread's commit now follows the torn record in the stream.
            Thread other = start("next commit", () -> {
                try {
                    writer.write(new byte[] {'Z', 'Z', 'Z'}, 0, 3);
                } catch (IOException ex) {
                    end.set(ex);
                }
            });
            PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 20);
            other.join(10_000);
            writer.close();
            pipe.sink().close();
            byte[] got = drain.await(Duration.ofSeconds(20));
            int rs = 0;
            while (rs < got.length && got[rs] == 'R') {
                rs++;
            }
            log("stream: " + rs + " bytes of the " + size + "-byte record, then "
                    + new String(got, rs, got.length - rs, java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(rs == 0 || rs == size || moved == rs,
                    "the record was torn after " + rs + " bytes, the exception says " + moved + " moved (" + e + ")");
        }
    }

    @Test
    @Timeout(60)
    void aWaitForTheConsumerDoesNotCountTowardsTheStallTimeout() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).policy(PipeWriter.Policy.RECYCLE)
                    .pipeCapacity(1 << 16).ringSize(SLOTS * REGION).regionSize(REGION)
                    .stallTimeout(Duration.ofMillis(300)).build();
            // Every region's bytes sit in the pipe: the ring waits for the consumer, which pauses 1 s.
            for (int i = 0; i < SLOTS; i++) {
                PipeWriter.Region r = writer.claim();
                writer.commit(r, REGION);
            }
            int waiters = SLOTS + 1;
            AtomicInteger stalled = new AtomicInteger();
            AtomicReference<Throwable> odd = new AtomicReference<>();
            List<String> report = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch started = new CountDownLatch(waiters);
            List<Thread> ts = new ArrayList<>();
            for (int w = 0; w < waiters; w++) {
                ts.add(start("waiter-" + w, () -> {
                    started.countDown();
                    long t0 = System.nanoTime();
                    try {
                        PipeWriter.Region r = writer.claim();
                        Thread.sleep(150); // fills the region: well under the stall timeout
                        writer.commit(r, REGION);
                    } catch (PipeWriterStalledException e) {
                        stalled.incrementAndGet();
                        report.add(Thread.currentThread().getName() + " stalled after "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms: " + e.getMessage());
                    } catch (Throwable t) {
                        odd.set(t);
                    }
                }));
            }
            started.await();
            Thread.sleep(1000); // the consumer pauses (an unbounded wait, by the javadoc)
            byte[] sink = new byte[SLOTS * REGION];
            ByteBuffer dst = ByteBuffer.allocateDirect(sink.length);
            while (dst.hasRemaining()) {
                pipe.source().read(dst);
            }
            long tDrain = System.nanoTime();
            PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 24);
            for (Thread t : ts) {
                t.join(10_000);
            }
            for (String s : report) {
                log("" + s);
            }
            log("" + stalled.get() + " of " + waiters + " claims failed with PipeWriterStalledException; "
                    + "the consumer had drained the pipe " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tDrain)
                    + " ms before the last ended; other failure: " + odd.get());
            writer.close();
            pipe.sink().close();
            drain.await(Duration.ofSeconds(10));
            assertEquals(0, stalled.get(), "a claim stalled although every claim it waited for was held < 300 ms");
        }
    }

    @Test
    @Timeout(120)
    void aCommitWaitingForTheLockAtCloseIsNotSentWhenTheLockFreesSoonAfter() throws Exception {
        int rounds = 20;
        int sentAfterClose = 0;
        for (int round = 0; round < rounds; round++) {
            try (Pipe pipe = Pipes.open()) {
                PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION).build();
                ByteBuffer big = ByteBuffer.allocate(8 << 20); // eight times the pipe: it waits for the consumer
                Thread rec = start("record", () -> {
                    try {
                        writer.write(big);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                while (pipe.sink().queued() == 0) {
                    Thread.sleep(1);
                }
                AtomicReference<Throwable> end = new AtomicReference<>();
                CountDownLatch claimed = new CountDownLatch(1);
                Thread c = start("commit", () -> {
                    try {
                        PipeWriter.Region r = writer.claim();
                        r.buffer().put(0, (byte) 'C');
                        claimed.countDown();
                        writer.commit(r, 1);
                        end.set(null);
                    } catch (Throwable t) {
                        end.set(t);
                    }
                });
                claimed.await();
                Thread.sleep(50 + round % 7); // the commit waits for the lock; close at varying phases of its poll
                writer.close();
                PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 24);
                rec.join(20_000);
                c.join(20_000);
                pipe.sink().close();
                byte[] got = drain.await(Duration.ofSeconds(20));
                boolean sent = got.length == big.capacity() + 1;
                if (sent) {
                    sentAfterClose++;
                }
                if (round < 3 || sent && sentAfterClose <= 2) {
                    log("round " + round + ": commit ended with " + end.get() + "; bytes in the pipe " + got.length
                            + " (record " + big.capacity() + ")");
                }
            }
        }
        log("" + sentAfterClose + " of " + rounds + " commits that were waiting for the commit lock when close() "
                + "returned were sent anyway");
        assertEquals(0, sentAfterClose, "close() did not end the commit's wait for the lock");
    }

    @Test
    @Timeout(60)
    void aClaimThatOnlyItsOwnThreadsClaimsBlockFailsAtOnce() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION)
                    .stallTimeout(Duration.ofMillis(200)).build();
            AtomicReference<Throwable> end = new AtomicReference<>();
            Thread t = start("holds all and claims again", () -> {
                try {
                    java.io.OutputStream s = writer.asOutputStream();
                    s.write('x'); // a stream with an unflushed byte holds one region
                    for (int i = 1; i < SLOTS; i++) {
                        writer.claim();
                    }
                    writer.write(new byte[] {1}, 0, 1); // needs a region: only this thread's idle claims hold them
                } catch (Throwable e) {
                    end.set(e);
                }
            });
            t.join(3000);
            log("after 3 s (stallTimeout 200 ms): thread alive=" + t.isAlive() + ", ended with " + end.get());
            boolean hung = t.isAlive();
            t.interrupt();
            t.join(2000);
            writer.close();
            assertTrue(!hung, "the claim waits for ever for regions its own thread holds idle");
            assertTrue(end.get() instanceof IllegalStateException, String.valueOf(end.get()));
        }
    }

    @Test
    @Timeout(60)
    void aRecordThatFailsInThePipeSaysHowManyOfItsBytesMoved() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION)
                    .pipeCapacity(REGION).build();
            int size = 8 * REGION;
            AtomicReference<Throwable> end = new AtomicReference<>();
            ByteBuffer big = ByteBuffer.allocate(size);
            Thread rec = start("large record", () -> {
                try {
                    writer.write(big);
                } catch (Throwable t) {
                    end.set(t);
                }
            });
            ByteBuffer dst = ByteBuffer.allocateDirect(3 * REGION + 100);
            while (dst.hasRemaining()) {
                pipe.source().read(dst);
            }
            Thread.sleep(100);
            pipe.source().close();
            rec.join(10_000);
            Throwable e = end.get();
            long said = e instanceof PartialTransfer ? ((PartialTransfer) e).bytesTransferred() : -1;
            log("record ended with " + e + "; bytesTransferred=" + said + " committed()=" + writer.committed()
                    + " src.position=" + big.position());
            writer.close();
            assertEquals(writer.committed(), said, "the record's exception does not say how many of its bytes moved");
        }
    }

    @Test
    @Timeout(300)
    void recordsStayWholeBesideIdleClaimsUnderLoad() throws Exception {
        for (String mode : new String[] {"COPY", "FRESH_PAGES", "RING"}) {
            stress(mode);
        }
    }

    @Test
    @Timeout(60)
    void aClaimBesideIdleClaimsGetsARegionOrStalls() throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), Integer.MAX_VALUE - 8)) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).mode(PipeWriter.Mode.COPY).regionSize(REGION)
                    .stallTimeout(Duration.ofMillis(300)).build();
            CountDownLatch held = new CountDownLatch(SLOTS - 1);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> idle = new ArrayList<>();
            for (int i = 0; i < SLOTS - 1; i++) {
                idle.add(holdClaim(writer, held, release));
            }
            held.await();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong busyCommits = new java.util.concurrent.atomic.AtomicLong();
            Thread busy = start("busy", () -> {
                try {
                    while (!stop.get()) {
                        PipeWriter.Region r = writer.claim();
                        r.buffer().put(0, (byte) 'b');
                        writer.commit(r, 1);
                        busyCommits.incrementAndGet();
                    }
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
            AtomicReference<Object> got = new AtomicReference<>();
            Thread w = start("waiter", () -> {
                try {
                    PipeWriter.Region r = writer.claim();
                    got.set("a region");
                    writer.abort(r);
                } catch (Throwable e) {
                    got.set(e);
                }
            });
            w.join(5000);
            long commits = busyCommits.get();
            stop.set(true);
            busy.join(5000);
            w.join(5000);
            log("after 5 s: waiter " + (got.get() == null ? "still waiting" : "got " + got.get()) + " (ended later with "
                    + got.get() + "); the busy thread committed " + commits + " times meanwhile");
            release.countDown();
            for (Thread t : idle) {
                t.join();
            }
            writer.close();
            assertTrue(commits == 0 || got.get() != null, "starved");
        }
    }

    private void stress(String mode) throws Exception {
        try (Pipe pipe = Pipes.open()) {
            org.jsplice.PipeWriterBuilder b = PipeWriter.builder(pipe.sink()).regionSize(REGION).pipeCapacity(1 << 20);
            if (mode.equals("COPY")) {
                b.mode(PipeWriter.Mode.COPY);
            } else if (mode.equals("FRESH_PAGES")) {
                b.mode(PipeWriter.Mode.FRESH_PAGES);
            } else {
                b.policy(PipeWriter.Policy.RECYCLE).ringSize(8 * REGION);
            }
            PipeWriter writer = b.build();
            log("" + writer);
            int writers = 3;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> ts = new ArrayList<>();
            java.util.concurrent.atomic.AtomicLong records = new java.util.concurrent.atomic.AtomicLong();
            for (int w = 0; w < writers; w++) {
                final int tid = w;
                ts.add(start("writer-" + w, () -> {
                    java.util.Random rnd = new java.util.Random(tid);
                    int seq = 0;
                    try {
                        while (System.nanoTime() < deadline && failure.get() == null) {
                            int len = 16 + rnd.nextInt(rnd.nextBoolean() ? 5 * REGION : REGION - 16);
                            ByteBuffer rec = ByteBuffer.allocate(len);
                            rec.putInt(0, 0x5EC0DE00 | tid).putInt(4, len).putInt(8, seq);
                            for (int i = 12; i < len; i++) {
                                rec.put(i, (byte) (tid * 31 + seq * 7 + i));
                            }
                            writer.write(rec);
                            seq++;
                            records.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread idler = start("idler", () -> {
                java.util.Random rnd = new java.util.Random(99);
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        List<PipeWriter.Region> held = new ArrayList<>();
                        int n = 1 + rnd.nextInt(3);
                        for (int i = 0; i < n; i++) {
                            held.add(writer.claim());
                        }
                        Thread.sleep(rnd.nextInt(3));
                        for (PipeWriter.Region r : held) {
                            writer.abort(r);
                        }
                    }
                } catch (PipeWriterStalledException e) {
                    // may happen by design
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            // A consumer that parses and checks as it goes, slowly now and then.
            AtomicReference<String> bad = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong parsed = new java.util.concurrent.atomic.AtomicLong();
            Thread consumer = start("consumer", () -> {
                try {
                    ByteBuffer in = ByteBuffer.allocateDirect(1 << 22);
                    int[] nextSeq = new int[writers];
                    java.util.Random rnd = new java.util.Random(7);
                    for (;;) {
                        int n = pipe.source().read(in);
                        if (n < 0) {
                            return;
                        }
                        in.flip();
                        while (in.remaining() >= 12) {
                            int p = in.position();
                            int magic = in.getInt(p);
                            int len = in.getInt(p + 4);
                            if ((magic & 0xFFFFFF00) != 0x5EC0DE00 || len < 16 || len > 6 * REGION) {
                                bad.compareAndSet(null, "bad header at record " + parsed.get() + ": magic=" + Integer.toHexString(magic) + " len=" + len);
                                return;
                            }
                            if (in.remaining() < len) {
                                break;
                            }
                            int tid = magic & 0xFF;
                            int seq = in.getInt(p + 8);
                            if (seq != nextSeq[tid]) {
                                bad.compareAndSet(null, "writer " + tid + " seq " + seq + " expected " + nextSeq[tid]);
                                return;
                            }
                            for (int i = 12; i < len; i++) {
                                if (in.get(p + i) != (byte) (tid * 31 + seq * 7 + i)) {
                                    bad.compareAndSet(null, "writer " + tid + " seq " + seq + " byte " + i + " changed");
                                    return;
                                }
                            }
                            nextSeq[tid]++;
                            parsed.incrementAndGet();
                            in.position(p + len);
                        }
                        in.compact();
                        if (rnd.nextInt(50) == 0) {
                            Thread.sleep(2);
                        }
                    }
                } catch (Throwable e) {
                    bad.compareAndSet(null, String.valueOf(e));
                }
            });
            for (Thread t : ts) {
                t.join(60_000);
            }
            idler.join(60_000);
            writer.close();
            pipe.sink().close();
            consumer.join(60_000);
            log("" + mode + ": records written=" + records.get() + " parsed=" + parsed.get() + " failure=" + failure.get()
                    + " bad=" + bad.get());
            assertEquals(null, bad.get());
            assertEquals(null, failure.get());
            assertEquals(records.get(), parsed.get());
        }
    }

    interface Action {
        void run() throws Exception;
    }

    static Throwable catchIt(Action a) {
        try {
            a.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
