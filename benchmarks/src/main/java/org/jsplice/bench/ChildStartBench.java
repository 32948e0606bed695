package org.jsplice.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsplice.Pipe;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;

/**
 * What a small run of a program costs: {@code cat} with a few KiB of input and its output read
 * back, through {@link ChildRun} against {@code ProcessBuilder} with its own streams (write the
 * input to {@code getOutputStream()}, close it, read {@code getInputStream()} to its end, {@code
 * waitFor()}). Both sides alternate in one JVM, the first side of each round changing, and the
 * medians are printed with the JDK's own figure beside each ratio. Every run's output is checked.
 *
 * <pre>
 * ChildStartBench small RUNS ROUNDS [INPUT_BYTES]
 *     milliseconds per run, RUNS runs a side per round, after a warm-up; 300 7 4096 by default
 * ChildStartBench heartbeat RUNS ROUNDS [INPUT_BYTES [PARTS]]        (JDK 21 or later)
 *     a virtual thread sleeping 10 ms at a time measures how late it wakes while RUNS small runs go
 *     on at once, each on a virtual thread of its own; the worst and the 99th percentile lateness
 *     of each side (with few ticks in a round the 99th percentile is the worst), all lateness
 *     added, and a platform thread's heartbeat beside it (which the carriers do not hold up);
 *     200 5 4096 by default; PARTS, a comma-separated list of threads, spawn and writer, adds
 *     sides that each do one part of a ChildRun (3 platform threads started and joined; cat
 *     started on two 1 MiB jsplice pipes; a PipeWriter of 4 KiB), to see which holds the carriers
 * ChildStartBench parts RUNS ROUNDS [virtual]
 *     the parts of a run apart, in microseconds: pipes, F_SETPIPE_SZ, threads, a PipeWriter, the
 *     JDK's start of cat with /proc/self/fd redirects or with its own pipes, onExit; 200 5 by default;
 *     "virtual" runs them all on one virtual thread (JDK 21 or later)
 * ChildStartBench loop jsplice|jdk RUNS [INPUT_BYTES]
 *     one side only, RUNS runs after as many for warm-up, for a profiler or strace, and the CPU
 *     time per run of this JVM and of its reaped children; with
 *     -Djsplice.bench.perfControl=CTL,ACK it enables {@code perf record -D -1 --control fifo:CTL,ACK}
 *     for the timed runs only
 * </pre>
 *
 * The JDK's start goes through {@code jdk.lang.Process.launchMechanism}: {@code -D} it to
 * {@code FORK} or {@code VFORK} to see what {@code jspawnhelper}'s second exec costs.
 */
public final class ChildStartBench {
    private static final long MILLIS = 1_000_000;

    private ChildStartBench() {
    }

    public static void main(String[] args) throws Exception {
        String job = args.length > 0 ? args[0] : "small";
        switch (job) {
            case "small":
                small(intArg(args, 1, 300), intArg(args, 2, 7), input(intArg(args, 3, 4096)));
                break;
            case "heartbeat":
                heartbeat(intArg(args, 1, 200), intArg(args, 2, 5), input(intArg(args, 3, 4096)),
                        args.length > 4 ? List.of(args[4].split(",")) : List.of());
                break;
            case "parts":
                if (args.length > 3 && args[3].equals("virtual")) {
                    onVirtualThread(() -> parts(intArg(args, 1, 200), intArg(args, 2, 5)));
                } else {
                    parts(intArg(args, 1, 200), intArg(args, 2, 5));
                }
                break;
            case "loop":
                loop(args[1].equals("jsplice"), intArg(args, 2, 300), input(intArg(args, 3, 4096)));
                break;
            default:
                throw new IllegalArgumentException("small, heartbeat, parts or loop: " + job);
        }
    }

    private static int intArg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    private static byte[] input(int size) {
        if (size > 60 << 10) {
            // The JDK side writes all before it reads: its 64 KiB pipes must hold input and output.
            throw new IllegalArgumentException("a small run's input is at most 60 KiB: " + size);
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** One small run through ChildRun: the input from memory, the output copied back into an array. */
    static void jsplice(byte[] in) throws IOException {
        byte[] out = new byte[in.length];
        int[] got = {0};
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("cat"))
                .input(ChildInput.bytes(in))
                .output(ChildOutput.buffers(b -> {
                    int n = b.remaining();
                    if (got[0] + n > out.length) {
                        throw new IOException("cat gave more than it was given");
                    }
                    b.get(out, got[0], n);
                    got[0] += n;
                }))
                .run();
        check(in, out, got[0], r.exitStatus());
    }

    /** One small run as the JDK's streams do it. */
    static void jdk(byte[] in) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cat").start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(in);
        }
        byte[] out;
        try (InputStream i = p.getInputStream()) {
            out = i.readAllBytes();
        }
        check(in, out, out.length, p.waitFor());
    }

    private static void check(byte[] in, byte[] out, int got, int status) {
        if (status != 0 || got != in.length || !Arrays.equals(in, 0, in.length, out, 0, got)) {
            throw new IllegalStateException("cat gave " + got + " bytes of " + in.length + " back, status " + status);
        }
    }

    private static void run(boolean jsplice, byte[] in) throws IOException, InterruptedException {
        if (jsplice) {
            jsplice(in);
        } else {
            jdk(in);
        }
    }

    private static String name(boolean jsplice) {
        return jsplice ? "ChildRun" : "ProcessBuilder";
    }

    // ---------------------------------------------------------------------------------------------

    private static void small(int runs, int rounds, byte[] in) throws Exception {
        System.out.printf(Locale.ROOT, "small runs: cat with %d bytes in and back, %d runs a side a round, %d rounds, Java %s, %d cpus%n",
                in.length, runs, rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < Math.max(100, runs); i++) {
            jsplice(in);
            jdk(in);
        }
        double[] jsMean = new double[rounds];
        double[] jdkMean = new double[rounds];
        double[] jsMedian = new double[rounds];
        double[] jdkMedian = new double[rounds];
        long[] times = new long[runs];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                boolean jsplice = (r + k) % 2 == 0;
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    run(jsplice, in);
                    times[i] = System.nanoTime() - t;
                }
                double mean = (System.nanoTime() - start) / (double) runs / MILLIS;
                double median = Figures.percentile(times, runs, 0.5) / (double) MILLIS;
                (jsplice ? jsMean : jdkMean)[r] = mean;
                (jsplice ? jsMedian : jdkMedian)[r] = median;
            }
            System.out.printf(Locale.ROOT, "round %d (%s first): ChildRun %.3f ms/run (median run %.3f), ProcessBuilder %.3f ms/run "
                    + "(median run %.3f), ratio %.2f%n", r + 1, name(r % 2 == 0), jsMean[r], jsMedian[r], jdkMean[r], jdkMedian[r],
                    jsMean[r] / jdkMean[r]);
        }
        System.out.println();
        System.out.println("| figure (median of rounds [min, max]) | ChildRun | ProcessBuilder (anchor) | ChildRun / ProcessBuilder |");
        System.out.println("|---|---|---|---|");
        System.out.println("| ms per run, mean of the round | " + Figures.spread("%.3f", jsMean) + " | " + Figures.spread("%.3f", jdkMean)
                + " | " + Figures.spread("%.2f", Figures.ratios(jsMean, jdkMean)) + " |");
        System.out.println("| ms per run, median run of the round | " + Figures.spread("%.3f", jsMedian) + " | "
                + Figures.spread("%.3f", jdkMedian) + " | " + Figures.spread("%.2f", Figures.ratios(jsMedian, jdkMedian)) + " |");
    }

    private static void loop(boolean jsplice, int runs, byte[] in) throws Exception {
        for (int i = 0; i < runs; i++) {
            run(jsplice, in);
        }
        Thread.sleep(200);
        perfControl("enable");
        long[] before = cpuTicks();
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            run(jsplice, in);
        }
        long nanos = System.nanoTime() - start;
        long[] after = cpuTicks();
        perfControl("disable");
        double ms = 1000.0 / 100; // USER_HZ: 100 ticks a second
        System.out.printf(Locale.ROOT, "%s: %.3f ms/run over %d runs; CPU per run: this JVM user %.2f sys %.2f ms, its reaped children "
                + "(jspawnhelper, cat) user %.2f sys %.2f ms%n", name(jsplice), nanos / (double) runs / MILLIS, runs,
                (after[0] - before[0]) * ms / runs, (after[1] - before[1]) * ms / runs, (after[2] - before[2]) * ms / runs,
                (after[3] - before[3]) * ms / runs);
    }

    /** utime, stime, cutime, cstime of this process, in clock ticks, from {@code /proc/self/stat}. */
    private static long[] cpuTicks() throws IOException {
        String stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")), java.nio.charset.StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /**
     * With {@code -Djsplice.bench.perfControl=CTL_FIFO[,ACK_FIFO]}, tells {@code perf record -D -1
     * --control fifo:CTL_FIFO,ACK_FIFO} to count the timed runs only.
     */
    private static void perfControl(String command) throws IOException {
        String fifos = System.getProperty("jsplice.bench.perfControl");
        if (fifos == null) {
            return;
        }
        String[] f = fifos.split(",");
        try (OutputStream ctl = new java.io.FileOutputStream(f[0])) {
            ctl.write((command + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (f.length > 1) {
            try (InputStream ack = new java.io.FileInputStream(f[1])) {
                ack.read(new byte[5]);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Sleeps 10 ms at a time and keeps how late each wake-up came. */
    private static final class Heartbeat implements Runnable {
        final long[] late = new long[1 << 16];
        volatile int count;
        volatile boolean stop;

        @Override
        public void run() {
            while (!stop && count < late.length) {
                long t = System.nanoTime();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                late[count] = System.nanoTime() - t - 10 * MILLIS;
                count = count + 1;
            }
        }

        long max() {
            return Figures.percentile(late, count, 1.0);
        }

        long p99() {
            return Figures.percentile(late, count, 0.99);
        }

        long sum() {
            long sum = 0;
            for (int i = 0; i < count; i++) {
                sum += late[i];
            }
            return sum;
        }
    }

    /** What one side of one heartbeat round gave. */
    private static final class Stall {
        double maxMs;
        double p99Ms;
        double platformMaxMs;
        double wallMs;
        double lateMs;
        int ticks;
        int peakThreads;
    }

    private static final Method START_VIRTUAL;
    private static final Method VIRTUAL_EXECUTOR;

    static {
        Method start = null;
        Method executor = null;
        try {
            start = Thread.class.getMethod("startVirtualThread", Runnable.class);
            executor = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            // JDK 17 to 20: no virtual threads, and no heartbeat job
        }
        START_VIRTUAL = start;
        VIRTUAL_EXECUTOR = executor;
    }

    private static Thread startVirtual(Runnable r) throws ReflectiveOperationException {
        return (Thread) START_VIRTUAL.invoke(null, r);
    }

    private static void onVirtualThread(Step body) throws Exception {
        if (START_VIRTUAL == null) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later, this is " + System.getProperty("java.version"));
        }
        Exception[] failure = {null};
        startVirtual(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }).join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** What each virtual thread of a heartbeat side does once. */
    private static Step heartbeatTask(String side, byte[] in) {
        switch (side) {
            case "childrun":
                return () -> jsplice(in);
            case "jdk":
                return () -> jdk(in);
            case "threads":
                return () -> {
                    Thread[] t = new Thread[3];
                    for (int i = 0; i < 3; i++) {
                        t[i] = new Thread(() -> { });
                        t[i].setDaemon(true);
                        t[i].start();
                    }
                    for (Thread x : t) {
                        x.join();
                    }
                };
            case "spawn":
                return () -> catOnPipes(true, false);
            case "writer":
                return () -> {
                    try (Pipe p = Pipes.open(); PipeWriter w = PipeWriter.builder(p.sink()).build()) {
                        w.write(in, 0, in.length);
                    }
                };
            default:
                throw new IllegalArgumentException("heartbeat sides: childrun, jdk, threads, spawn, writer: " + side);
        }
    }

    private static String describe(String side) {
        switch (side) {
            case "childrun": return "ChildRun";
            case "jdk": return "ProcessBuilder";
            case "threads": return "3 platform threads started, joined";
            case "spawn": return "cat on 2 jsplice 1 MiB pipes (ChildRun's start, no threads)";
            case "writer": return "PipeWriter of 4 KiB into a new pipe";
            default: return side;
        }
    }

    private static void heartbeat(int runs, int rounds, byte[] in, List<String> extra) throws Exception {
        if (START_VIRTUAL == null) {
            throw new UnsupportedOperationException("the heartbeat job needs virtual threads: Java 21 or later, this is "
                    + System.getProperty("java.version"));
        }
        List<String> sides = new ArrayList<>(List.of("childrun", "jdk"));
        sides.addAll(extra);
        System.out.printf(Locale.ROOT, "heartbeat: a virtual thread sleeping 10 ms at a time while %d runs of cat (%d bytes in and back) "
                + "go on at once on virtual threads; %d rounds, Java %s, %d cpus, virtual thread scheduler parallelism %s; sides %s%n", runs,
                in.length, rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default (cpus)"), sides);
        // warm-up: every class loaded and the hot paths compiled on every side, at the same concurrency
        for (String side : sides) {
            stall(side, runs, in);
        }
        Stall[][] stalls = new Stall[sides.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < sides.size(); k++) {
                int i = (r + k) % sides.size();
                Stall s = stall(sides.get(i), runs, in);
                stalls[i][r] = s;
                System.out.printf(Locale.ROOT, "round %d %-14s: virtual heartbeat max %.1f ms, p99 %.1f ms, %d ticks late by %.0f ms in all; "
                        + "platform heartbeat max %.1f ms; %d runs in %.0f ms; peak platform threads %d%n", r + 1, describe(sides.get(i)), s.maxMs,
                        s.p99Ms, s.ticks, s.lateMs, s.platformMaxMs, runs, s.wallMs, s.peakThreads);
            }
        }
        Stall[] js = stalls[0];
        Stall[] jdk = stalls[1];
        System.out.println();
        System.out.println("| figure (median of rounds [min, max]) | ChildRun | ProcessBuilder (anchor) | ChildRun / ProcessBuilder |");
        System.out.println("|---|---|---|---|");
        row("virtual heartbeat, worst lateness (ms)", js, jdk, s -> s.maxMs);
        row("virtual heartbeat, p99 lateness (ms)", js, jdk, s -> s.p99Ms);
        row("virtual heartbeat, lateness of all ticks added (ms)", js, jdk, s -> s.lateMs);
        row("platform heartbeat, worst lateness (ms)", js, jdk, s -> s.platformMaxMs);
        row("wall time of the runs (ms)", js, jdk, s -> s.wallMs);
        row("peak platform threads", js, jdk, s -> s.peakThreads);
        if (sides.size() > 2) {
            System.out.println();
            System.out.println("| parts of a run, each on its own virtual threads | virtual heartbeat, worst (ms) | lateness added (ms) | "
                    + "wall time (ms) | peak platform threads |");
            System.out.println("|---|---|---|---|---|");
            for (int i = 0; i < sides.size(); i++) {
                Stall[] x = stalls[i];
                System.out.println("| " + describe(sides.get(i)) + " | " + Figures.spread("%.1f", field(x, s -> s.maxMs)) + " | "
                        + Figures.spread("%.1f", field(x, s -> s.lateMs)) + " | " + Figures.spread("%.1f", field(x, s -> s.wallMs)) + " | "
                        + Figures.spread("%.0f", field(x, s -> s.peakThreads)) + " |");
            }
        }
    }

    private static double[] field(Stall[] stalls, Field f) {
        return Arrays.stream(stalls).mapToDouble(f::of).toArray();
    }

    private interface Field {
        double of(Stall s);
    }

    private static void row(String what, Stall[] js, Stall[] jdk, Field f) {
        double[] a = field(js, f);
        double[] b = field(jdk, f);
        System.out.println("| " + what + " | " + Figures.spread("%.1f", a) + " | " + Figures.spread("%.1f", b) + " | "
                + Figures.spread("%.2f", Figures.ratios(a, b)) + " |");
    }

    private static Stall stall(String side, int runs, byte[] in) throws Exception {
        Step task = heartbeatTask(side, in);
        System.gc();
        Thread.sleep(300); // the previous side's reapers and threads end
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        mx.resetPeakThreadCount();
        Heartbeat virtual = new Heartbeat();
        Heartbeat platform = new Heartbeat();
        Thread vt = startVirtual(virtual);
        Thread pt = new Thread(platform, "platform-heartbeat");
        pt.setDaemon(true);
        pt.start();
        Thread.sleep(100);
        ExecutorService pool = (ExecutorService) VIRTUAL_EXECUTOR.invoke(null);
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            done.add(pool.submit(() -> {
                go.await();
                try {
                    task.run();
                } catch (Exception e) {
                    if (failed.getAndIncrement() == 0) {
                        e.printStackTrace();
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        Thread.sleep(50);
        virtual.stop = true;
        platform.stop = true;
        vt.join();
        pt.join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " runs failed through " + describe(side));
        }
        Stall s = new Stall();
        s.maxMs = virtual.max() / (double) MILLIS;
        s.p99Ms = virtual.p99() / (double) MILLIS;
        s.platformMaxMs = platform.max() / (double) MILLIS;
        s.wallMs = wall / (double) MILLIS;
        s.lateMs = virtual.sum() / (double) MILLIS;
        s.ticks = virtual.count;
        s.peakThreads = mx.getPeakThreadCount();
        return s;
    }

    // ---------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static final class Part {
        final String name;
        final Step step;
        /** Whether the step adds the time to count to {@link #selfTimed} itself (its set-up and clean-up left out). */
        final boolean self;

        Part(String name, Step step) {
            this(name, step, false);
        }

        Part(String name, Step step, boolean self) {
            this.name = name;
            this.step = step;
            this.self = self;
        }
    }

    private static long selfTimed;

    /** Where the allocations of a part go, so that the JIT cannot drop them. */
    static volatile Object kept;
    static volatile byte[] keptArray;

    private static File procFd(Channel end) {
        return new File("/proc/self/fd/" + Pipes.provider().descriptor(end));
    }

    /** Starts cat on two jsplice pipes as ChildRun does, ends its input and waits for its end of output and its exit. */
    private static void catOnPipes(boolean bigPipes, boolean onExit) throws Exception {
        catOnPipes(bigPipes, onExit, false);
    }

    private static void catOnPipes(boolean bigPipes, boolean onExit, boolean timeStart) throws Exception {
        Pipe in = Pipes.open();
        Pipe out = Pipes.open();
        try {
            if (bigPipes) {
                in.sink().capacity(1 << 20);
                out.sink().capacity(1 << 20);
            }
            ProcessBuilder b = new ProcessBuilder("cat").redirectInput(Redirect.from(procFd(in.source())))
                    .redirectOutput(Redirect.to(procFd(out.sink())));
            long t = System.nanoTime();
            Process p = b.start();
            if (timeStart) {
                selfTimed += System.nanoTime() - t;
            }
            in.source().close();
            out.sink().close();
            in.sink().close();
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (out.source().read(buf.clear()) >= 0) {
                // cat ends its output when it exits
            }
            waitFor(p, onExit);
        } finally {
            in.close();
            out.close();
        }
    }

    private static void waitFor(Process p, boolean onExit) throws Exception {
        if (onExit) {
            CountDownLatch exited = new CountDownLatch(1);
            p.onExit().thenRun(exited::countDown);
            exited.await();
        } else {
            p.waitFor();
        }
    }

    private static void parts(int runs, int rounds) throws Exception {
        byte[] four = input(4096);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("2 pipes opened and closed", () -> {
            Pipes.open().close();
            Pipes.open().close();
        }));
        parts.add(new Part("2 pipes, each F_SETPIPE_SZ 1 MiB", () -> {
            Pipe a = Pipes.open();
            Pipe b = Pipes.open();
            a.sink().capacity(1 << 20);
            b.sink().capacity(1 << 20);
            a.close();
            b.close();
        }));
        parts.add(new Part("3 platform threads started and joined", () -> {
            Thread[] t = new Thread[3];
            for (int i = 0; i < 3; i++) {
                t[i] = new Thread(() -> { });
                t[i].setDaemon(true);
                t[i].start();
            }
            for (Thread x : t) {
                x.join();
            }
        }));
        parts.add(new Part("3 platform threads: Thread.start() alone (the caller's time)", () -> {
            Thread[] t = new Thread[3];
            for (int i = 0; i < 3; i++) {
                t[i] = new Thread(() -> { });
                t[i].setDaemon(true);
            }
            long start = System.nanoTime();
            for (Thread x : t) {
                x.start();
            }
            selfTimed += System.nanoTime() - start;
            for (Thread x : t) {
                x.join();
            }
        }, true));
        parts.add(new Part("PipeWriter (safe default) built, 4 KiB written, closed", () -> {
            try (Pipe p = Pipes.open()) {
                try (PipeWriter w = PipeWriter.builder(p.sink()).build()) {
                    w.write(four, 0, four.length);
                }
            }
        }));
        parts.add(new Part("64 KiB direct buffer + 64 KiB byte[] (ChildOutput.buffers, stderr tail)", () -> {
            kept = ByteBuffer.allocateDirect(1 << 16).put(0, (byte) 1);
            keptArray = new byte[1 << 16];
        }));
        parts.add(new Part("start of `true`, waitFor", () -> new ProcessBuilder("true").start().waitFor()));
        parts.add(new Part("start of `true`, stdio discarded, waitFor", () -> new ProcessBuilder("true").redirectInput(Redirect.INHERIT)
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start().waitFor()));
        parts.add(new Part("cat on the JDK's pipes: close input, read to end, waitFor", () -> {
            Process p = new ProcessBuilder("cat").start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            p.waitFor();
        }));
        parts.add(new Part("cat on the JDK's pipes: ProcessBuilder.start() alone (the caller's time)", () -> {
            long t = System.nanoTime();
            Process p = new ProcessBuilder("cat").start();
            selfTimed += System.nanoTime() - t;
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            p.waitFor();
        }, true));
        parts.add(new Part("cat on jsplice pipes via /proc/self/fd: ProcessBuilder.start() alone", () -> catOnPipes(false, false, true), true));
        parts.add(new Part("cat on the JDK's pipes, onExit instead of waitFor", () -> {
            Process p = new ProcessBuilder("cat").start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            waitFor(p, true);
        }));
        parts.add(new Part("cat on jsplice pipes via /proc/self/fd, waitFor", () -> catOnPipes(false, false)));
        parts.add(new Part("cat on jsplice 1 MiB pipes via /proc/self/fd, onExit", () -> catOnPipes(true, true)));
        parts.add(new Part("whole ProcessBuilder small run (4 KiB)", () -> jdk(four)));
        parts.add(new Part("whole ChildRun small run (4 KiB)", () -> jsplice(four)));

        System.out.printf(Locale.ROOT, "parts of a small run, microseconds each, %d runs a part a round, %d rounds, Java %s, launchMechanism %s, "
                + "on %s%n", runs, rounds, System.getProperty("java.version"), System.getProperty("jdk.lang.Process.launchMechanism", "default"),
                Thread.currentThread());
        for (Part p : parts) {
            for (int i = 0; i < Math.max(20, runs / 4); i++) {
                p.step.run();
            }
        }
        double[][] us = new double[parts.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < parts.size(); k++) {
                int i = (k + r) % parts.size();
                Part p = parts.get(i);
                selfTimed = 0;
                long start = System.nanoTime();
                for (int j = 0; j < runs; j++) {
                    p.step.run();
                }
                us[i][r] = (p.self ? selfTimed : System.nanoTime() - start) / 1e3 / runs;
            }
        }
        System.out.println("| part | us per run, median of rounds [min, max] |");
        System.out.println("|---|---|");
        for (int i = 0; i < parts.size(); i++) {
            System.out.println("| " + parts.get(i).name + " | " + Figures.spread("%.0f", us[i]) + " |");
        }
    }

}
