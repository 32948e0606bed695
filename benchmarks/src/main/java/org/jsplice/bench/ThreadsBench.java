package org.jsplice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;

/**
 * Many pipes at once, as a server writes them: one writer and one draining reader per pipe, each a
 * virtual thread or each a platform thread, and what that costs.
 *
 * <pre>
 * ThreadsBench pipes virtual|platform PIPES MIB_PER_PIPE CHUNK_KIB [ROUNDS]
 *     PIPES writers vmspliceFully MIB_PER_PIPE each in CHUNK_KIB chunks into their pipes, read by
 *     PIPES readers; prints GiB/s and the platform threads the JVM ran (its carriers among them),
 *     for each of ROUNDS rounds (default 1) in the same JVM. gibps is timed from the moment the
 *     writers are let go, after every thread was started; jobGibps from before the first thread
 *     was started, so that it counts what starting them costs; series the GiB/s of each 50 ms of
 *     the timed part, with the process's CPU use in per cent of one core</pre>
 * ThreadsBench openclose THREADS ROUNDS
 *     the cost of Pipes.open() and close() while THREADS platform threads are parked
 * </pre>
 */
public final class ThreadsBench {
    private ThreadsBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipes":
                int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 1;
                for (int round = 1; round <= rounds; round++) {
                    pipes(args[1].equals("virtual"), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]) << 10, round);
                }
                break;
            case "openclose":
                openClose(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                break;
            default:
                throw new IllegalArgumentException("pipes or openclose: " + args[0]);
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} where the JDK has it (21 and later). */
    private static ExecutorService executor(boolean virtual, int threads) throws ReflectiveOperationException {
        if (!virtual) {
            return Executors.newFixedThreadPool(threads);
        }
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static void pipes(boolean virtual, int count, int mib, int chunk, int round) throws Exception {
        long perPipe = (long) mib << 20;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (NativeBuffer memory = Pipes.allocate(1 << 20)) {
            ByteBuffer v = memory.asByteBuffer();
            for (int i = 0; i < v.capacity(); i += 4096) {
                v.put(i, (byte) 1);
            }
            List<IoVec> segment = List.of(memory.slice(0, chunk));
            List<Pipe> pipes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Pipe p = Pipes.open();
                p.sink().capacity(256 << 10);
                pipes.add(p);
            }
            ExecutorService pool = executor(virtual, 2 * count);
            LongAdder received = new LongAdder();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            Series series = new Series(received); // started first, so that its thread is not in the peak
            threads.resetPeakThreadCount();
            long jobStart = System.nanoTime();
            for (Pipe p : pipes) {
                done.add(pool.submit(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(256 << 10);
                    int r;
                    while ((r = p.source().read(b)) > 0) {
                        received.add(r);
                        b.clear();
                    }
                    return null;
                }));
                done.add(pool.submit(() -> {
                    go.await();
                    for (long sent = 0; sent < perPipe; sent += chunk) {
                        p.sink().vmspliceFully(segment);
                    }
                    p.sink().close();
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            long end = System.nanoTime();
            long nanos = end - start;
            String rates = series.stop();
            pool.shutdown();
            for (Pipe p : pipes) {
                p.close();
            }
            long bytes = received.sum();
            if (bytes != count * perPipe) {
                throw new IllegalStateException("received " + bytes + " of " + count * perPipe);
            }
            System.out.printf(Locale.ROOT, "RESULT %s round=%d pipes=%d bytes=%d gibps=%.2f jobGibps=%.2f platformThreadsPeak=%d provider=%s series=%s%n",
                    virtual ? "virtual" : "platform", round, count, bytes, bytes / (nanos / 1e9) / (1L << 30),
                    bytes / ((end - jobStart) / 1e9) / (1L << 30), threads.getPeakThreadCount(), Pipes.provider().name(), rates);
        }
    }

    /**
     * What {@code received} grew by in each sample of about 50 ms, divided by the sample's measured
     * length, and the CPU time the process took in it, until stopped; from before the job's threads start.
     */
    private static final class Series {
        private final Thread sampler;
        private final StringBuilder rates = new StringBuilder();

        Series(LongAdder received) {
            sampler = new Thread(() -> {
                long bytes = received.sum();
                long cpu = cpuTicks();
                long at = System.nanoTime();
                while (true) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long b = received.sum();
                    long c = cpuTicks();
                    long now = System.nanoTime();
                    double secs = (now - at) / 1e9;
                    // USER_HZ is 100: a tick is 10 ms of one core.
                    rates.append(String.format(Locale.ROOT, "%s%.1f/%.0f%%", rates.length() == 0 ? "" : ",",
                            (b - bytes) / secs / (1L << 30), (c - cpu) * 0.01 / secs * 100));
                    bytes = b;
                    cpu = c;
                    at = now;
                }
            }, "series");
            sampler.setDaemon(true);
            sampler.start();
        }

        String stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            return rates.toString();
        }

        /** utime + stime of this process, in clock ticks ({@code /proc/self/stat}, fields 14 and 15). */
        private static long cpuTicks() {
            try {
                String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private static void openClose(int parked, int rounds) throws IOException {
        List<Thread> idle = new ArrayList<>();
        for (int i = 0; i < parked; i++) {
            Thread t = new Thread(() -> LockSupport.park());
            t.setDaemon(true);
            t.start();
            idle.add(t);
        }
        for (int i = 0; i < rounds; i++) {
            Pipes.open().close(); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            Pipes.open().close();
        }
        double us = (System.nanoTime() - start) / 1e3 / rounds;
        System.out.printf(Locale.ROOT, "RESULT openclose threads=%d us=%.1f provider=%s%n", parked, us, Pipes.provider().name());
        for (Thread t : idle) {
            LockSupport.unpark(t);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
