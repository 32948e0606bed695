package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.jsplice.internal.linux.LinuxPipeSink;
import org.jsplice.internal.linux.LinuxPipeSource;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting transfers on virtual threads free their carriers: with many more virtual threads waiting
 * than there are carriers, every other virtual thread of the JVM still runs, and a reader started
 * before its writer never starves that writer. Runs with the provider discovery picks (JNA here,
 * FFM in sdk-ffm's run).
 */
public abstract class VirtualThreadWaitsSuite extends ProviderSuite {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private NativeBuffer pattern;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Loom.available(), Loom.REASON);
        pattern = Pipes.allocate(MIB);
        ByteBuffer v = pattern.asByteBuffer();
        for (int i = 0; i < MIB; i++) {
            v.put(i, value(i));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (pattern != null) {
            pattern.close();
        }
    }

    static byte value(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    /** The largest gap between the ticks of a virtual thread that sleeps 10 ms a tick, over {@code millis}. */
    private static long heartbeatGapMillis(long millis) throws InterruptedException {
        AtomicLong worst = new AtomicLong();
        Thread beat = Loom.start(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long last = System.nanoTime();
            while (last < end) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                worst.accumulateAndGet(now - last, Math::max);
                last = now;
            }
        });
        beat.join(millis + 30_000);
        assertTrue(!beat.isAlive(), "the heartbeat never ended: no carrier was free");
        return TimeUnit.NANOSECONDS.toMillis(worst.get());
    }

    private void start(List<Thread> threads, Queue<Throwable> failures, ThrowingRunnable r) {
        threads.add(Loom.start(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    @Timeout(120)
    void eightTimesTheCarriersWaitingInTransfersFifoOpensAndWritersLeaveTheHeartbeatRunning() throws Exception {
        int n = 8 * Loom.carriers();
        List<Thread> threads = new ArrayList<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Pipe> pipes = new ArrayList<>();
        // The end each call waits on: closing it (and not the other end first, which a reader would
        // take for the end of the stream) must end the call with PipeAsynchronousCloseException.
        List<java.nio.channels.Channel> waitedOn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // A full pipe nobody reads, an empty one nobody writes, and a writer over a full pipe.
            Pipe full = Pipes.open();
            Pipe empty = Pipes.open();
            Pipe viaWriter = Pipes.open();
            pipes.add(full);
            pipes.add(empty);
            pipes.add(viaWriter);
            waitedOn.add(full.sink());
            waitedOn.add(empty.source());
            waitedOn.add(viaWriter.sink());
            PipeWriter writer = PipeWriter.builder(viaWriter.sink()).pipeCapacity(65536).build();
            open.add(writer);
            start(threads, failures, () -> full.sink().vmspliceFully(List.of(pattern.slice(0, MIB))));
            start(threads, failures, () -> empty.source().read(ByteBuffer.allocateDirect(4096)));
            start(threads, failures, () -> {
                for (int k = 0; k < 16; k++) {
                    writer.write(ByteBuffer.allocate(256 << 10));
                }
            });
            Path fifo = dir.resolve("fifo-" + i);
            Pipes.mkfifo(fifo);
            start(threads, failures, () -> Pipes.openFifoSink(fifo, Duration.ofSeconds(60)).close());
        }
        awaitAllWaiting(threads);

        long gap = heartbeatGapMillis(1000);
        assertTrue(gap < 500, "with " + threads.size() + " virtual threads waiting on " + Loom.carriers()
                + " carriers, the heartbeat missed " + gap + " ms");

        for (java.nio.channels.Channel end : waitedOn) {
            end.close();
        }
        for (Pipe p : pipes) {
            p.close();
        }
        for (int i = 0; i < n; i++) {
            // Release the FIFO opens with readers of their own.
            Pipes.openFifoSource(dir.resolve("fifo-" + i), Duration.ofSeconds(30)).close();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertTrue(!t.isAlive(), "a waiting call did not end: " + java.util.Arrays.toString(t.getStackTrace()));
        }
        for (Throwable f : failures) {
            assertTrue(f instanceof PipeAsynchronousCloseException || f.getCause() instanceof PipeAsynchronousCloseException,
                    "a waiting call ended by close threw " + f);
        }
        assertEquals(3L * n, failures.size(), "every transfer ended by close said so (the FIFO opens succeeded): " + failures);
    }

    /** Until every thread is parked (waiting, not runnable) a few looks in a row. */
    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int stable = 0; stable < 3; ) {
            assertTrue(System.nanoTime() < deadline, "the calls never all came to wait");
            Thread.sleep(20);
            boolean all = true;
            for (Thread t : threads) {
                Thread.State s = t.getState();
                all &= s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
            }
            stable = all ? stable + 1 : 0;
        }
    }

    @Test
    @Timeout(120)
    void readersStartedBeforeTheirWritersAllFinishEveryByteChecked() throws Exception {
        moveThroughPipes(100, 100, MIB);
    }

    @Test
    @Timeout(300)
    void tenThousandVirtualThreadsEachMoveOneMebibyteThroughItsOwnPipe() throws Exception {
        // The descriptor limit here may be 20,000: at most 3,000 pipes are open at once.
        moveThroughPipes(10_000, 3_000, MIB);
    }

    /**
     * {@code count} pipes, each read by a virtual thread started first and written by one started
     * after it; at most {@code atOnce} pipes open at a time.
     */
    private void moveThroughPipes(int count, int atOnce, int bytes) throws Exception {
        Semaphore permits = new Semaphore(atOnce);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong received = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<IoVec> all = List.of(pattern.slice(0, bytes));
        for (int i = 0; i < count; i++) {
            start(threads, failures, () -> {
                permits.acquire();
                try (Pipe pipe = Pipes.open()) {
                    Thread reader = Loom.start(() -> {
                        try {
                            received.addAndGet(readAndCheck(pipe, bytes));
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    Thread.yield();
                    pipe.sink().vmspliceFully(all);
                    pipe.sink().close();
                    reader.join();
                } finally {
                    permits.release();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), "failures: " + failures.size() + ", first " + failures.peek());
        assertEquals((long) count * bytes, received.get());
    }

    /** Reads to the end of the pipe, comparing every byte with the pattern's. */
    private long readAndCheck(Pipe pipe, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(64 << 10);
        ByteBuffer expected = pattern.asByteBuffer();
        long at = 0;
        int r;
        while ((r = pipe.source().read(b)) > 0) {
            if (at + r > bytes) {
                throw new AssertionError("more than " + bytes + " bytes through the pipe");
            }
            int differs = b.flip().mismatch(expected.slice((int) at, r));
            if (differs >= 0) {
                throw new AssertionError("byte " + (at + differs) + " differs");
            }
            at += r;
            b.clear();
        }
        assertEquals(bytes, at, "bytes through the pipe");
        return at;
    }

    /**
     * A provider that binds no {@code epoll}: virtual threads look with {@code poll(2)} and park
     * between looks, and still free their carriers, finish, and end on close.
     */
    @Test
    @Timeout(120)
    void withoutEpollVirtualThreadsLookParkAndEndOnClose() throws Exception {
        SystemCalls bound = systemCallsOf(providerUnderTest());
        SystemCalls noEpoll = (SystemCalls) java.lang.reflect.Proxy.newProxyInstance(SystemCalls.class.getClassLoader(),
                new Class<?>[] {SystemCalls.class}, (proxy, method, args) -> method.getName().equals("epollCreate")
                        ? -org.jsplice.Errno.ENOSYS.code() : method.invoke(bound, args));
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        List<Pipe> pipes = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < 4 * Loom.carriers(); i++) {
            Pipe real = Pipes.open();
            open.add(real);
            Pipe pipe = Pipe.of(new LinuxPipeSource(noEpoll, fd(real.source()), false), new LinuxPipeSink(noEpoll, fd(real.sink()), false));
            pipes.add(pipe);
            start(threads, failures, () -> received.addAndGet(readAndCheck(pipe, MIB)));
        }
        awaitAllWaiting(threads);
        long gap = heartbeatGapMillis(500);
        assertTrue(gap < 500, "the heartbeat missed " + gap + " ms");
        for (int i = 0; i < pipes.size(); i++) {
            Pipe pipe = pipes.get(i);
            Pipe real = (Pipe) open.get(i);
            start(threads, failures, () -> {
                pipe.sink().vmspliceFully(List.of(pattern.slice(0, MIB)));
                real.sink().close(); // the descriptor's owner: the reader sees the end of the stream
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertEquals((long) pipes.size() * MIB, received.get());
        // A writer parked between looks ends when its end is closed.
        Pipe real = Pipes.open();
        open.add(real);
        LinuxPipeSink sink = new LinuxPipeSink(noEpoll, fd(real.sink()), false);
        List<Thread> writer = new ArrayList<>();
        start(writer, failures, () -> sink.vmspliceFully(List.of(pattern.slice(0, MIB))));
        awaitAllWaiting(writer);
        sink.close();
        writer.get(0).join(10_000);
        assertTrue(failures.poll() instanceof PipeAsynchronousCloseException, "close ended the looking writer");
    }

    private static int fd(java.nio.channels.Channel end) {
        return ((org.jsplice.internal.linux.LinuxPipeEnd) end).fd();
    }

    /** The single-carrier case, in a JVM of its own with one carrier and one CPU. */
    @Test
    @Timeout(120)
    void withASingleCarrierAReaderAndAWriterOnTheSamePipeFinish() throws Exception {
        String out = ChildJvm.run(SingleCarrier.class, "--enable-native-access=ALL-UNNAMED", "-XX:ActiveProcessorCount=1",
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1");
        assertTrue(out.contains("moved 100 x 1048576 bytes"), out);
    }

    /** One carrier: 100 readers started before their writers, then a heartbeat beside 8 waiting calls. */
    public static final class SingleCarrier {
        public static void main(String[] args) throws Exception {
            // This JVM's own discovery chose the provider, with the parent's class path and flags.
            VirtualThreadWaitsSuite t = new VirtualThreadWaitsSuite() {
                @Override
                protected PipeProvider providerUnderTest() {
                    return Pipes.provider();
                }
            };
            t.setUp();
            try {
                t.moveThroughPipes(100, 100, MIB);
                System.out.println("moved 100 x " + MIB + " bytes");
                List<Pipe> full = new ArrayList<>();
                List<Thread> waiting = new ArrayList<>();
                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                for (int i = 0; i < 8; i++) {
                    Pipe p = Pipes.open();
                    full.add(p);
                    t.start(waiting, failures, () -> p.sink().vmspliceFully(List.of(t.pattern.slice(0, MIB))));
                }
                awaitAllWaiting(waiting);
                long gap = heartbeatGapMillis(500);
                if (gap >= 500) {
                    throw new AssertionError("the heartbeat missed " + gap + " ms");
                }
                for (Pipe p : full) {
                    p.close();
                }
                for (Thread w : waiting) {
                    w.join();
                }
                System.out.println("heartbeat gap " + gap + " ms, " + failures.size() + " closed");
            } finally {
                t.tearDown();
            }
            System.exit(0);
        }
    }

    /** The bindings of a native provider, which it hands only to the core; the test takes them to hide one. */
    private static SystemCalls systemCallsOf(PipeProvider provider) throws ReflectiveOperationException {
        java.lang.reflect.Method raw = NativePipeProvider.class.getDeclaredMethod("raw");
        raw.setAccessible(true);
        return (SystemCalls) raw.invoke(provider);
    }
}
