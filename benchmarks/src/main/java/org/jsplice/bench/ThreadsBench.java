package org.jsplice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * ThreadsBench pipes virtual|platform PIPES MIB_PER_PIPE CHUNK_KIB
 *     PIPES writers vmspliceFully MIB_PER_PIPE each in CHUNK_KIB chunks into their pipes, read by
 *     PIPES readers; prints GiB/s and the platform threads the JVM ran (its carriers among them)
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
                pipes(args[1].equals("virtual"), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]) << 10);
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

    private static void pipes(boolean virtual, int count, int mib, int chunk) throws Exception {
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
            AtomicLong received = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            threads.resetPeakThreadCount();
            for (Pipe p : pipes) {
                done.add(pool.submit(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(256 << 10);
                    long got = 0;
                    int r;
                    while ((r = p.source().read(b)) > 0) {
                        got += r;
                        b.clear();
                    }
                    received.addAndGet(got);
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
            long nanos = System.nanoTime() - start;
            pool.shutdown();
            for (Pipe p : pipes) {
                p.close();
            }
            if (received.get() != count * perPipe) {
                throw new IllegalStateException("received " + received.get() + " of " + count * perPipe);
            }
            System.out.printf(Locale.ROOT, "RESULT %s pipes=%d bytes=%d gibps=%.2f platformThreadsPeak=%d provider=%s%n",
                    virtual ? "virtual" : "platform", count, received.get(), received.get() / (nanos / 1e9) / (1L << 30),
                    threads.getPeakThreadCount(), Pipes.provider().name());
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
