package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.process.ChildRunException;
import org.jsplice.process.FanOut;
import org.jsplice.process.FanOutException;
import org.jsplice.process.FanOutException.Reason;
import org.jsplice.PipeSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FanOut} to real consumers: {@code sha256sum}, a slow reader, one that stops early and one
 * that is killed, a file, and Java readers of different speeds. Every consumer that reads to the end
 * must get exactly the input, whatever the others do: a short {@code tee} into a nearly full pipe
 * (which the slow readers cause) must neither lose nor repeat a byte. A fan-out that is cancelled (an
 * interrupt, its timeout) ends every thread it started before {@link FanOut#run()} returns: the
 * bound asserted for that ({@link #BOUND_NANOS}, five seconds) is fifty times the promise, so that a
 * loaded machine cannot fail it.
 */
public abstract class FanOutSuite extends ProviderSuite {
    private static final int SIZE = 64 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** How long a cancelled fan-out may take to end everything and return: generous, not a target. */
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The prefix of the names of the threads a fan-out starts. */
    private static final String THREADS = "jsplice-fan-out";

    @TempDir
    static Path dir;
    static Path data;
    static byte[] digest;

    @BeforeAll
    static void data() throws Exception {
        byte[] b = new byte[SIZE];
        new Random(21).nextBytes(b);
        data = Files.write(dir.resolve("data.bin"), b);
        digest = MessageDigest.getInstance("SHA-256").digest(b);
    }

    /**
     * A Java consumer that digests what it reads, {@code readSize} bytes a read, pausing every
     * {@code pauseEveryBytes}: small reads free a slot or two of its pipe at a time, so that a tee
     * into it stops short.
     */
    private static final class Digesting implements ChildOutput {
        final MessageDigest md;
        final int readSize;
        final long pauseEveryBytes;
        long seen;

        Digesting(int readSize, long pauseEveryBytes) throws Exception {
            this.md = MessageDigest.getInstance("SHA-256");
            this.readSize = readSize;
            this.pauseEveryBytes = pauseEveryBytes;
        }

        @Override
        public void drain(PipeSource stdout) throws IOException {
            ByteBuffer b = ByteBuffer.allocateDirect(readSize);
            int n;
            while ((n = stdout.read(b.clear())) >= 0) {
                long before = seen;
                seen += n;
                md.update(b.flip());
                if (pauseEveryBytes > 0 && before / pauseEveryBytes != seen / pauseEveryBytes) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }
    }

    @Test
    void threeChildrenOneSlowAndOneThatStopsEarlyEachGetTheirBytesAndTheOthersAll() throws Exception {
        ByteArrayOutputStream sum = new ByteArrayOutputStream();
        Path copy = dir.resolve("slow-copy.bin");
        FanOut.Result r = FanOut.of(ChildInput.file(data),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sha256sum")).output(ChildOutput.stream(sum)).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("head", "-c", "1000")).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sh", "-c", "sleep 1; exec cat")).output(ChildOutput.file(copy))
                        .timeout(LIMIT))).run();
        assertEquals(SIZE, r.bytesIn());
        assertEquals(SIZE, r.bytesTaken(0));
        assertTrue(r.bytesTaken(1) >= 1000 && r.bytesTaken(1) < SIZE, "head took " + r.bytesTaken(1));
        assertEquals(SIZE, r.bytesTaken(2));
        assertEquals(HexFormat.of().formatHex(digest) + "  -\n", sum.toString(StandardCharsets.US_ASCII));
        assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(copy)));
        for (Throwable t : r.failures()) {
            assertNull(t);
        }
    }

    @Test
    void aConsumerThatDiesIsReportedAndTheOthersStillGetEverything() throws Exception {
        Digesting fast = new Digesting(1 << 16, 0);
        Digesting slow = new Digesting(4096, 1 << 20);
        FanOutException e = assertThrows(FanOutException.class, () -> FanOut.of(ChildInput.file(data),
                fast,
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sh", "-c", "head -c 5000000 > /dev/null; kill -9 $$"))
                        .timeout(LIMIT)),
                slow).run());
        assertEquals(Reason.CONSUMER, e.reason());
        FanOut.Result r = e.result();
        assertTrue(r.failure(1) instanceof ChildRunException, String.valueOf(r.failure(1)));
        assertEquals(ChildRunException.Side.CHILD, ((ChildRunException) r.failure(1)).side());
        assertNull(r.failure(0));
        assertNull(r.failure(2));
        assertEquals(SIZE, r.bytesTaken(0));
        assertEquals(SIZE, r.bytesTaken(2));
        assertArrayEquals(digest, fast.md.digest(), "the fast consumer got other bytes");
        assertArrayEquals(digest, slow.md.digest(), "the slow consumer got other bytes");
    }

    @Test
    void readersOfEverySpeedGetExactlyTheInputThroughShortTees() throws Exception {
        Digesting[] readers = {new Digesting(1 << 16, 0), new Digesting(4096, 256 << 10), new Digesting(8192, 3 << 20),
            new Digesting(4096, 64 << 10)};
        FanOut.Result r = FanOut.of(ChildInput.file(data), readers).run();
        for (int i = 0; i < readers.length; i++) {
            assertEquals(SIZE, r.bytesTaken(i), "consumer " + i);
            assertArrayEquals(digest, readers[i].md.digest(), "consumer " + i + " got other bytes");
        }
    }

    @Test
    void oneBuilderSharedByTwoConsumersStartsTwoChildrenWithAPipeEach() throws Exception {
        ProcessBuilder sha = new ProcessBuilder("sha256sum");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        FanOut.Result r = FanOut.of(ChildInput.file(data),
                ChildOutput.child(ChildRun.of(sha).output(ChildOutput.stream(first)).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(sha).output(ChildOutput.stream(second)).timeout(LIMIT))).run();
        String expected = HexFormat.of().formatHex(digest) + "  -\n";
        assertEquals(expected, first.toString(StandardCharsets.US_ASCII));
        assertEquals(expected, second.toString(StandardCharsets.US_ASCII));
        assertEquals(SIZE, r.bytesTaken(1));
        assertEquals(ProcessBuilder.Redirect.PIPE, sha.redirectInput(), "the caller's builder was changed");
    }

    @Test
    void oneConsumerGetsTheInputBySpliceAlone() throws Exception {
        Digesting only = new Digesting(1 << 16, 0);
        FanOut.Result r = FanOut.of(ChildInput.bytes(Files.readAllBytes(data)), only).timeout(LIMIT).run();
        assertEquals(SIZE, r.bytesIn());
        assertArrayEquals(digest, only.md.digest());
    }

    @Test
    void aFailingInputIsReportedAfterTheConsumersEnd() {
        IOException boom = new IOException("source gone");
        FanOutException e = assertThrows(FanOutException.class, () -> FanOut.of(ChildInput.writer(w -> {
            w.write(new byte[1 << 20], 0, 1 << 20);
            throw boom;
        }), ChildOutput.discard(), ChildOutput.discard()).run());
        assertEquals(Reason.INPUT, e.reason());
        assertEquals(boom, e.getCause());
        assertEquals(boom, e.result().inputFailure());
        assertEquals(1 << 20, e.result().bytesIn());
        assertEquals(1 << 20, e.result().bytesTaken(0));
        assertEquals(1 << 20, e.result().bytesTaken(1));
    }

    /** An input that never ends: a region after another, as long as anyone takes them. */
    private static ChildInput endless() {
        return ChildInput.writer(w -> {
            byte[] chunk = new byte[1 << 16];
            while (true) {
                w.write(chunk, 0, chunk.length);
            }
        });
    }

    /**
     * A consumer that never reads: it waits until its thread is interrupted, then takes 300 ms to end,
     * as one that cleans up does, so that a run() that does not wait for it returns while it runs.
     */
    private static final class NeverReads implements ChildOutput {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void drain(PipeSource stdout) throws IOException {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                for (long left; (left = end - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
                throw new InterruptedIOException("interrupted while not reading");
            }
        }
    }

    /** A consumer that never reads and ignores interrupts, but stops once its pipe has been closed. */
    private static final class Deaf implements ChildOutput {
        @Override
        public void drain(PipeSource stdout) {
            while (stdout.isOpen()) {
                Thread.interrupted();
                LockSupport.parkNanos(10_000_000);
            }
        }
    }

    /** The threads of every fan-out that are alive now. */
    private static Set<Thread> fanOutThreads() {
        Set<Thread> alive = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(THREADS) && t.isAlive()) {
                alive.add(t);
            }
        }
        return alive;
    }

    /**
     * {@link FanOut#run()} on a thread of its own (a platform thread, or a virtual one), and what that
     * thread saw the moment run() returned: the outcome, its own interrupt status, and which threads of
     * this fan-out were still alive.
     */
    private static final class Caller {
        final CountDownLatch returned = new CountDownLatch(1);
        final Thread thread;
        volatile Object outcome;
        volatile boolean interrupted;
        volatile Set<Thread> stillAlive;
        volatile long returnedAt;

        Caller(FanOut fanOut, boolean virtual) {
            Set<Thread> before = fanOutThreads();
            Runnable body = () -> {
                try {
                    outcome = fanOut.run();
                } catch (Throwable t) {
                    outcome = t;
                }
                returnedAt = System.nanoTime();
                interrupted = Thread.currentThread().isInterrupted();
                Set<Thread> now = fanOutThreads();
                now.removeAll(before);
                stillAlive = now;
                returned.countDown();
            };
            thread = virtual ? Loom.unstarted(body) : new Thread(body, "fan-out-caller");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for run() to return, at most {@code nanos}; fails with the caller's stack if it did not. */
        void awaitReturn(long nanos) throws InterruptedException {
            if (!returned.await(nanos, TimeUnit.NANOSECONDS)) {
                StringBuilder sb = new StringBuilder();
                for (StackTraceElement e : thread.getStackTrace()) {
                    sb.append("\n  at ").append(e);
                }
                throw new AssertionError("run() did not return within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms:" + sb);
            }
        }

        /** The exception run() threw, once it returned: a {@link FanOutException}, else the test fails. */
        FanOutException failure() {
            assertTrue(outcome instanceof FanOutException, "run() ended with " + outcome);
            return (FanOutException) outcome;
        }
    }

    /**
     * Interrupts {@code caller} once the fan-out is under way (the consumer that never reads has
     * started, and the pipes had time to fill), and waits within {@link #BOUND_NANOS} for run() to
     * end; returns when the interrupt was sent.
     */
    private static long interruptWhenUnderWay(Caller caller, NeverReads stuck) throws InterruptedException {
        assertTrue(stuck.started.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "the consumer never started");
        Thread.sleep(200);
        long sent = System.nanoTime();
        caller.thread.interrupt();
        caller.awaitReturn(BOUND_NANOS);
        return sent;
    }

    @Test
    @Timeout(120)
    void anInterruptWhileTheBatchesRunIsAFanOutExceptionThrownOnlyOnceEveryThreadHasEnded() throws Exception {
        NeverReads stuck = new NeverReads();
        Digesting reader = new Digesting(1 << 16, 0);
        Caller caller = new Caller(FanOut.of(endless(), reader, stuck), false);
        interruptWhenUnderWay(caller, stuck);
        FanOutException e = caller.failure();
        assertEquals(Set.of(), caller.stillAlive, "threads of the fan-out were alive when run() returned");
        assertTrue(caller.interrupted, "run() did not set the interrupt status again");
        assertEquals(Reason.INTERRUPT, e.reason());
        assertNotNull(e.result(), "no figures");
        assertTrue(e.result().bytesIn() > 0, e.result().toString());
        assertTrue(e.result().failure(1) instanceof InterruptedIOException, "the consumer that never reads was not interrupted: "
                + e.result().failure(1));
    }

    /**
     * An endless fan-out whose consumers never read (one wakes on an interrupt, one only when its pipe
     * is closed), interrupted on a platform thread or a virtual one.
     */
    private static void anInterruptEndsAnEndlessFanOutPromptly(boolean virtual) throws Exception {
        NeverReads stuck = new NeverReads();
        Caller caller = new Caller(FanOut.of(endless(), stuck, new Deaf(), ChildOutput.discard()), virtual);
        long sent = interruptWhenUnderWay(caller, stuck);
        long took = caller.returnedAt - sent;
        FanOutException e = caller.failure();
        assertEquals(Set.of(), caller.stillAlive, "threads of the fan-out were alive when run() returned");
        assertTrue(took < BOUND_NANOS, "run() took " + took / 1_000_000 + " ms to end after the interrupt");
        assertEquals(Reason.INTERRUPT, e.reason());
        assertTrue(caller.interrupted, "run() did not set the interrupt status again");
    }

    @Test
    @Timeout(120)
    void anInterruptEndsAnEndlessFanOutPromptlyOnAPlatformThread() throws Exception {
        anInterruptEndsAnEndlessFanOutPromptly(false);
    }

    @Test
    @Timeout(120)
    void anInterruptEndsAnEndlessFanOutPromptlyOnAVirtualThread() throws Exception {
        Assumptions.assumeTrue(Loom.available(), Loom.REASON);
        anInterruptEndsAnEndlessFanOutPromptly(true);
    }

    @Test
    @Timeout(120)
    void theTimeoutEndsAnEndlessFanOutAndSaysSo() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        NeverReads stuck = new NeverReads();
        long start = System.nanoTime();
        Caller caller = new Caller(FanOut.of(endless(), stuck,
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sleep", "600")).timeout(LIMIT)),
                ChildOutput.discard()).timeout(timeout), false);
        caller.awaitReturn(timeout.toNanos() + BOUND_NANOS);
        long took = caller.returnedAt - start;
        FanOutException e = caller.failure();
        assertEquals(Set.of(), caller.stillAlive, "threads of the fan-out were alive when run() returned");
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains(timeout.toString()), e.getMessage());
        assertTrue(took >= timeout.toNanos(), "run() ended after " + took / 1_000_000 + " ms, before its timeout");
        assertFalse(caller.interrupted, "a timeout set the caller's interrupt status");
        assertTrue(e.result().bytesIn() > 0, e.result().toString());
        assertTrue(e.result().failure(1) instanceof ChildRunException, "the child that never reads: " + e.result().failure(1));
    }

    @Test
    void theTimeoutMustBePositiveAndGivesANewFanOut() {
        FanOut f = FanOut.of(ChildInput.none(), ChildOutput.discard());
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.timeout(bad));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> f.timeout(null));
        assertNotSame(f, f.timeout(LIMIT));
    }

    @Test
    void theFiguresSurviveSerialization() throws Exception {
        IOException boom = new IOException("source gone");
        FanOutException e = assertThrows(FanOutException.class, () -> FanOut.of(ChildInput.writer(w -> {
            w.write(new byte[1 << 20], 0, 1 << 20);
            throw boom;
        }), ChildOutput.discard(), ChildOutput.discard()).run());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        FanOutException copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (FanOutException) in.readObject();
        }
        assertNotNull(copy.result(), "the figures were lost");
        assertEquals(Reason.INPUT, copy.reason());
        assertEquals(e.getMessage(), copy.getMessage());
        assertEquals(1 << 20, copy.result().bytesIn());
        assertEquals(1 << 20, copy.result().bytesTaken(0));
        assertEquals(1 << 20, copy.result().bytesTaken(1));
        assertEquals("source gone", copy.result().inputFailure().getMessage());
        assertNull(copy.result().failure(0));
        assertEquals(3, copy.result().failures().size());
        assertEquals(e.result().toString(), copy.result().toString());
    }
}
