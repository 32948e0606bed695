package org.jsplice.process;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.Errno;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;
import org.jsplice.internal.Jfr;
import org.jsplice.internal.VirtualThreads;
import org.jsplice.internal.linux.Linux;
import org.jsplice.internal.linux.LinuxProcess;
import org.jsplice.process.ChildRunException.Side;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a {@link ChildRun}: the pipes, the children (started by the core itself in one
 * process group, see {@link LinuxProcess}), a pooled thread per direction (and per observed joint,
 * and per standard error), and the first failure, which ends everything else.
 *
 * <h2>The end of a run</h2>
 * The calling thread waits for each child's exit on its pidfd, then for the sides, at most {@link
 * ChildRun#waitDelay} (a grandchild may hold a pipe), then reaps the children and ends what is left
 * of the group: {@code SIGTERM}, and {@code SIGKILL} after {@link ChildRun#gracePeriod}. A failure
 * (a side, the timeout, an interrupt) sends the group {@code SIGTERM} at once and {@code SIGKILL}
 * after the grace period, and closes every pipe end the run holds, so that no side waits for a
 * process that holds the other end.
 */
final class ChildRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ChildRun.class);
    /** The size asked for every pipe of a run: {@code /proc/sys/fs/pipe-max-size}'s default. */
    static final int PIPE_SIZE = 1 << 20;
    /** How long a run waits for its sides once it has closed every pipe (they end at once then). */
    private static final long SIDES_AFTER_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The runs whose trees are alive, for the JVM's exit. */
    private static final Set<ChildRunner> LIVE = ConcurrentHashMap.newKeySet();

    private static volatile boolean hooked;

    /**
     * Registers the hook that ends the trees of live runs at the JVM's exit, on the first run; a
     * run started while the JVM already shuts down goes without it.
     */
    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (LIVE) {
            if (!hooked) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(ChildRunner::endAllAtExit, "jsplice-run-exit"));
                } catch (IllegalStateException shuttingDown) {
                    return; // the hooks have run or are running: there is no exit left to catch
                }
                hooked = true;
            }
        }
    }

    private final ChildRun run;
    private final int n;
    private final LinuxProcess[] children;
    private final Tail[] tails;
    private final Joint[] joints;
    /** Every pipe end the parent holds; all closed when the run ends or fails. */
    private final List<Channel> held = new ArrayList<>();
    private final List<SideTask> sides = new ArrayList<>();
    private Counted.Sink stdin;
    private Counted.Source stdout;
    private volatile boolean inputComplete;
    private CountDownLatch sidesDone;
    /** The first failure; under this runner's lock. */
    private Side failedSide;
    private Throwable failure;
    /** Set under this runner's lock once the run has taken its outcome: a later failure is too late. */
    private boolean decided;
    /** Set once the run closes its ends on purpose: a side that ends by that close was cut, it did not fail. */
    private volatile boolean cutting;
    private volatile boolean outputCut;
    private final boolean[] stderrCut;
    private final List<String> signalsSent = new ArrayList<>();
    /** Guards the group's signals against the reap of its leader: after it, the id may name another group. */
    private final Object group = new Object();
    private boolean reaped;
    private long termSentAt;
    private boolean killSent;
    private ScheduledFuture<?> killer;

    /** An observed joint: the parent reads child j's output, tees it to the observer and splices it on. */
    private static final class Joint {
        final PipeSource from;
        final PipeSink to;
        final Pipe observer;

        Joint(PipeSource from, PipeSink to, Pipe observer) {
            this.from = from;
            this.to = to;
            this.observer = observer;
        }
    }

    ChildRunner(ChildRun run) {
        this.run = run;
        this.n = run.commands.size();
        this.children = new LinuxProcess[n];
        this.tails = new Tail[n];
        this.joints = new Joint[n - 1];
        this.stderrCut = new boolean[n];
    }

    ChildRun.Result run() throws IOException {
        long began = System.nanoTime();
        Object event = Jfr.childRunEnabled() ? Jfr.beginChildRun() : null;
        List<Builder> builders = new ArrayList<>();
        for (ProcessBuilder b : run.commands) {
            builders.add(Builder.of(b, builders.size()));
        }
        PipeProvider provider = Pipes.provider();
        SystemCalls raw = provider.systemCalls();
        hook();
        LIVE.add(this);
        try {
            onPlatformThread(() -> {
                start(provider, raw, builders);
                return null;
            });
        } catch (IOException | RuntimeException | Error e) {
            LIVE.remove(this);
            throw e;
        }
        boolean interrupted = false;
        try {
            try {
                startSides();
            } catch (RuntimeException | Error e) {
                fail(Side.START, e);
            }
            ScheduledFuture<?> timer = run.timeout == null ? null
                    : Timers.TIMER.schedule(() -> fail(Side.TIMEOUT, null), run.timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                interrupted = awaitChildren();
                interrupted |= awaitSides();
            } finally {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
            interrupted |= endTree();
        } finally {
            closeHeld();
            LIVE.remove(this);
            for (LinuxProcess p : children) {
                closeQuietly(p);
            }
        }
        ExitStatus[] statuses = new ExitStatus[n];
        String[] stderr = new String[n];
        int[] pids = new int[n];
        for (int i = 0; i < n; i++) {
            statuses[i] = status(children[i]);
            stderr[i] = tails[i] == null ? "" : tails[i].text();
            pids[i] = children[i].pid();
        }
        synchronized (this) {
            decided = true;
            if (failedSide == null) {
                for (int i = n - 1; i >= 0; i--) {
                    if (statuses[i] == null || !statuses[i].isSuccess()) {
                        failedSide = Side.CHILD;
                        failure = null;
                        break;
                    }
                }
            }
        }
        List<String> sent;
        synchronized (group) {
            sent = new ArrayList<>(signalsSent);
        }
        ChildRun.Result result = new ChildRun.Result(stdin.bytes.get(), stdout.bytes.get(), inputComplete && failedSide == null,
                statuses, stderr, outputCut, stderrCut, sent, pids);
        long nanos = System.nanoTime() - began;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: pids {}, {}, {} bytes in, {} bytes out, {} ms{}{}", run.describe(), result.pids(), result.statuses(),
                    result.bytesIn(), result.bytesOut(), nanos / 1_000_000, failedSide == null ? "" : ", failed: " + failedSide,
                    sent.isEmpty() ? "" : ", sent " + sent);
        }
        if (event != null) {
            Jfr.commitChildRun(event, run.describe(), pids[0], String.valueOf(result.statuses()), result.bytesIn(), result.bytesOut(),
                    failedSide == null ? "" : failedSide.name(), String.join(",", sent));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failedSide != null) {
            throw new ChildRunException(message(result), failedSide, result, failure);
        }
        return result;
    }

    private static ExitStatus status(LinuxProcess p) {
        try {
            if (!p.exited()) {
                return null;
            }
        } catch (PipeException e) {
            return null;
        }
        return p.signaled() ? ExitStatus.killed(p.status(), p.coreDumped()) : ExitStatus.exited(p.status() & 0xFF);
    }

    /**
     * Runs {@code task} on a platform thread when the caller is virtual: {@code posix_spawnp} holds
     * its thread until the child has called {@code exec}, and a carrier held that long stalls every
     * other virtual thread that would run on it.
     */
    private static <T> T onPlatformThread(Callable<T> task) throws IOException {
        if (!VirtualThreads.current()) {
            try {
                return task.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
        Sides.DISPATCH.execute(f);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the start goes on; the run ends it once it has its children
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException) {
                        throw (IOException) c;
                    }
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    if (c instanceof Error) {
                        throw (Error) c;
                    }
                    throw new IOException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The pipes and the children; on a failure, closes what it opened and ends what it started. */
    private void start(PipeProvider provider, SystemCalls raw, List<Builder> builders) throws IOException {
        List<Channel> opened = new ArrayList<>();
        try {
            PipeSource[] in = new PipeSource[n];
            PipeSink[] out = new PipeSink[n];
            PipeSink[] err = new PipeSink[n];
            Pipe first = open(opened);
            in[0] = first.source();
            stdin = new Counted.Sink(first.sink());
            for (int j = 0; j < n - 1; j++) {
                Pipe a = open(opened);
                out[j] = a.sink();
                if (run.observers.get(j) == null) {
                    in[j + 1] = a.source();
                } else {
                    Pipe b = open(opened);
                    Pipe o = open(opened);
                    in[j + 1] = b.source();
                    joints[j] = new Joint(a.source(), b.sink(), o);
                }
            }
            Pipe last = open(opened);
            out[n - 1] = last.sink();
            stdout = new Counted.Source(last.source());
            for (int i = 0; i < n; i++) {
                if (builders.get(i).stderr == LinuxProcess.Stderr.FD) {
                    Pipe e = Pipes.open(); // standard error is small: the default size
                    opened.add(e.source());
                    opened.add(e.sink());
                    err[i] = e.sink();
                    tails[i] = new Tail(run.stderrLimit, e.source());
                }
            }
            for (int i = 0; i < n; i++) {
                Builder b = builders.get(i);
                children[i] = LinuxProcess.spawn(provider, raw, new LinuxProcess.Spec(b.command, b.environment, b.directory,
                        provider.descriptor(in[i]), provider.descriptor(out[i]), b.stderr,
                        err[i] == null ? -1 : provider.descriptor(err[i]), b.stderrPath, i == 0 ? 0 : children[0].pgid())
                        .program(b.program));
            }
            // The children hold their own ends now; ours would keep EPIPE and end of stream from everyone.
            for (int i = 0; i < n; i++) {
                closeQuietly(in[i]);
                closeQuietly(out[i]);
                if (err[i] != null) {
                    closeQuietly(err[i]);
                }
            }
            held.add(first.sink());
            held.add(last.source());
            for (Joint joint : joints) {
                if (joint != null) {
                    held.addAll(List.of(joint.from, joint.to, joint.observer.sink(), joint.observer.source()));
                }
            }
            for (Tail t : tails) {
                if (t != null) {
                    held.add(t.source);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            opened.forEach(ChildRunner::closeQuietly);
            if (children[0] != null) {
                killAndReap();
            }
            throw e;
        }
    }

    /** After a failed start: the children started so far, killed and reaped. */
    private void killAndReap() {
        try {
            children[0].signalGroup(Linux.SIGKILL);
        } catch (PipeException ignored) {
            // the start's own failure is the one reported
        }
        for (LinuxProcess p : children) {
            if (p != null) {
                reapBlocking(p);
                closeQuietly(p);
            }
        }
    }

    /** Reaps a child that was sent SIGKILL: it exits within moments. */
    private static void reapBlocking(LinuxProcess p) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int i = 0; i < 10_000 && !p.reap(); i++) {
                LockSupport.parkNanos(100_000);
                interrupted |= Thread.interrupted(); // parkNanos returns at once while the flag is set
            }
        } catch (PipeException ignored) {
            // nothing more can be done for it
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts every side; when one cannot start, the latch still counts those that never will. */
    private void startSides() {
        int count = 2 + 2 * count(joints) + count(tails);
        sidesDone = new CountDownLatch(count);
        try {
            submitSides();
        } catch (RuntimeException | Error e) {
            int started;
            synchronized (sides) {
                started = sides.size();
            }
            for (int k = started; k < count; k++) {
                sidesDone.countDown();
            }
            throw e;
        }
    }

    private void submitSides() {
        side("input", () -> {
            try {
                run.input.feed(stdin);
                inputComplete = true;
            } catch (Throwable t) {
                if (!brokenPipe(t) && !cutting) {
                    fail(Side.INPUT, t);
                }
            } finally {
                closeQuietly(stdin);
            }
        });
        side("output", () -> {
            try {
                run.output.drain(stdout);
            } catch (Throwable t) {
                if (cutting) {
                    outputCut = true;
                } else {
                    fail(Side.OUTPUT, t);
                }
            } finally {
                closeQuietly(stdout);
            }
        });
        for (int j = 0; j < joints.length; j++) {
            Joint joint = joints[j];
            if (joint != null) {
                ChildOutput observer = run.observers.get(j);
                side("relay-" + j, () -> relay(joint));
                side("observer-" + j, () -> {
                    try {
                        observer.drain(joint.observer.source());
                    } catch (Throwable t) {
                        if (!cutting) {
                            fail(Side.OBSERVER, t);
                        }
                    } finally {
                        closeQuietly(joint.observer.source());
                    }
                });
            }
        }
        for (int i = 0; i < n; i++) {
            Tail tail = tails[i];
            if (tail != null) {
                int k = i;
                side("stderr-" + i, () -> {
                    if (!tail.drain()) {
                        stderrCut[k] = cutting;
                    }
                });
            }
        }
    }

    private static int count(Object[] things) {
        int c = 0;
        for (Object t : things) {
            c += t == null ? 0 : 1;
        }
        return c;
    }

    /**
     * Runs a side on a pooled platform thread: the user's inputs and outputs may block or pin as
     * they like. From a virtual thread the side goes through the dispatcher, so that no platform
     * thread is started on the caller's carrier (a thread start holds it until the new thread runs;
     * 200 runs at once stalled the other virtual threads for it).
     */
    private void side(String name, Runnable body) {
        SideTask f = new SideTask(body, sidesDone);
        synchronized (sides) {
            sides.add(f);
        }
        try {
            if (VirtualThreads.current()) {
                Sides.DISPATCH.execute(f);
            } else {
                Sides.POOL.execute(f);
            }
        } catch (RuntimeException | Error e) {
            synchronized (sides) {
                sides.remove(f);
            }
            throw e;
        }
    }

    /**
     * One side of a run, which counts itself done exactly once: also when it is cancelled before a
     * thread ran it (a cancelled FutureTask never runs its body, and the run then waited out its
     * wait delay and the 10 s after the close for a side that never was). {@link #cancel}
     * interrupts the thread only while it runs this side, never the pool thread's next task.
     */
    private static final class SideTask implements Runnable {
        private final Runnable body;
        private final CountDownLatch done;
        private Thread runner;
        private boolean cancelled;

        SideTask(Runnable body, CountDownLatch done) {
            this.body = body;
            this.done = done;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (cancelled) {
                    done.countDown();
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                body.run();
            } finally {
                synchronized (this) {
                    runner = null;
                    Thread.interrupted(); // a cancel's interrupt stays with this side, not the thread's next task
                }
                done.countDown();
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    /** Waits for every child's exit; an interrupt ends the run and the wait goes on. */
    private boolean awaitChildren() {
        boolean interrupted = false;
        for (int i = 0; i < n; i++) {
            while (true) {
                try {
                    children[i].awaitExit();
                    break;
                } catch (IOException e) {
                    if (!Thread.interrupted()) {
                        interrupted |= pollExit(children[i]);
                        break;
                    }
                    interrupted = true;
                    fail(Side.INTERRUPT, e);
                    try {
                        LinuxProcess again = children[i].reopen();
                        closeQuietly(children[i]);
                        children[i] = again;
                    } catch (IOException reopen) {
                        // cannot wait on a pidfd any more: look now and then until it has exited
                        if (pollExit(children[i])) {
                            interrupted = true;
                        }
                        break;
                    }
                }
            }
        }
        return interrupted;
    }

    /** Waits for an exit by looking every millisecond; returns whether the thread was interrupted. */
    private boolean pollExit(LinuxProcess p) {
        boolean interrupted = false;
        try {
            while (!p.exited()) {
                LockSupport.parkNanos(1_000_000);
                if (Thread.interrupted()) {
                    interrupted = true;
                    fail(Side.INTERRUPT, null);
                }
            }
        } catch (PipeException ignored) {
            // nothing more to wait for
        }
        return interrupted;
    }

    /**
     * Every child has exited: waits for the sides, at most the wait delay; then cuts what still
     * runs (a process of the tree holds its pipe) by closing the run's ends.
     */
    private boolean awaitSides() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + run.waitDelay.toNanos();
        while (true) {
            try {
                long left = deadline - System.nanoTime();
                if (sidesDone.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    return interrupted;
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                fail(Side.INTERRUPT, e);
            }
        }
        cutting = true;
        closeHeld();
        synchronized (sides) {
            sides.forEach(SideTask::cancel);
        }
        long end = System.nanoTime() + SIDES_AFTER_CLOSE_NANOS;
        while (true) {
            try {
                if (!sidesDone.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("{}: a side of the run did not end within 10 s of its pipes' close", run.describe());
                }
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * Records the first failure and ends everything else: the group sent SIGTERM (SIGKILL after the
     * grace period), pipes closed, sides interrupted.
     */
    private void fail(Side side, Throwable t) {
        synchronized (this) {
            if (failedSide != null || decided) {
                return;
            }
            failedSide = side;
            failure = t;
        }
        terminate();
        closeHeld();
        synchronized (sides) {
            sides.forEach(SideTask::cancel);
        }
    }

    /** SIGTERM to the group while its leader is not reaped, and SIGKILL after the grace period. */
    private void terminate() {
        synchronized (group) {
            if (reaped || termSentAt != 0 || children[0] == null) {
                return;
            }
            send(Linux.SIGTERM);
            termSentAt = System.nanoTime();
            killer = Timers.TIMER.schedule(() -> {
                synchronized (group) {
                    if (!reaped) {
                        send(Linux.SIGKILL);
                    }
                }
            }, run.gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Under {@link #group}. */
    private boolean send(int signal) {
        if (signal == Linux.SIGKILL && killSent) {
            return true;
        }
        try {
            boolean got = children[0].signalGroup(signal);
            if (got) {
                signalsSent.add(ExitStatus.signalName(signal));
                killSent |= signal == Linux.SIGKILL;
            }
            return got;
        } catch (PipeException e) {
            LOG.warn("{}: {}", run.describe(), e.getMessage());
            return false;
        }
    }

    /**
     * Reaps the children, and ends what is left of their process group: the processes they started
     * and left behind get SIGTERM, and SIGKILL once the grace period since the first SIGTERM passed.
     */
    private boolean endTree() {
        long termAt;
        synchronized (group) {
            for (LinuxProcess p : children) {
                try {
                    p.reap();
                } catch (PipeException e) {
                    LOG.warn("{}: {}", run.describe(), e.getMessage());
                }
            }
            reaped = true;
            if (killer != null) {
                killer.cancel(false);
            }
            if (killSent) {
                return false; // nothing survives it
            }
            if (termSentAt == 0) {
                if (!send(Linux.SIGTERM)) {
                    return false; // the common case: nothing is left of the group
                }
                termSentAt = System.nanoTime();
            }
            termAt = termSentAt;
        }
        long deadline = termAt + run.gracePeriod.toNanos();
        boolean interrupted = false;
        try {
            // Each look scans /proc: every 20 ms, not more often.
            while (groupAlive(children[0].pgid())) {
                if (System.nanoTime() - deadline >= 0) {
                    synchronized (group) {
                        send(Linux.SIGKILL);
                    }
                    break;
                }
                LockSupport.parkNanos(20_000_000);
                if (Thread.interrupted()) {
                    interrupted = true; // the tree is being ended already; the flag is set again after
                }
            }
        } catch (PipeException e) {
            LOG.warn("{}: {}", run.describe(), e.getMessage());
        }
        return interrupted;
    }

    /**
     * Whether a live process is left in group {@code pgid}. {@code kill(-pgid, 0)} answers for
     * zombies too (a grandchild that its new parent has not reaped yet), so a yes is checked against
     * each process's state in {@code /proc}.
     */
    private boolean groupAlive(int pgid) throws PipeException {
        if (!children[0].signalGroup(0)) {
            return false;
        }
        try (java.nio.file.DirectoryStream<java.nio.file.Path> all = java.nio.file.Files.newDirectoryStream(
                java.nio.file.Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (java.nio.file.Path p : all) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its last ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
                if (f.length > 2 && f[2].equals(String.valueOf(pgid)) && !f[0].equals("Z") && !f[0].equals("X")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: wait out the grace period
        }
    }

    private void closeHeld() {
        synchronized (held) {
            held.forEach(ChildRunner::closeQuietly);
            if (stdin != null) {
                closeQuietly(stdin);
            }
            if (stdout != null) {
                closeQuietly(stdout);
            }
        }
    }

    /** At the JVM's exit: the trees of the runs still going get SIGTERM, then SIGKILL. */
    static void endAllAtExit() {
        List<ChildRunner> live = new ArrayList<>(LIVE);
        long grace = 0;
        for (ChildRunner r : live) {
            r.terminate();
            grace = Math.max(grace, r.run.gracePeriod.toNanos());
        }
        long deadline = System.nanoTime() + grace;
        for (ChildRunner r : live) {
            for (LinuxProcess p : r.children) {
                try {
                    while (p != null && !p.exited() && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(5_000_000);
                    }
                } catch (PipeException ignored) {
                    // gone
                }
            }
            synchronized (r.group) {
                if (r.children[0] == null) {
                    continue;
                }
                try {
                    // Before the reap the id is the run's; after it, only while a live member holds it.
                    if (!r.reaped || r.groupAlive(r.children[0].pgid())) {
                        r.send(Linux.SIGKILL);
                    }
                } catch (PipeException ignored) {
                    // gone
                }
            }
        }
    }

    /** Tees each batch to the observer, then splices the same bytes on to the next child. */
    private void relay(Joint joint) {
        try {
            long t;
            while ((t = joint.from.tee(joint.observer.sink(), 1L << 20)) >= 0) {
                for (long left = t; left > 0; ) {
                    long r = joint.from.splice(joint.to, left);
                    if (r < 0) {
                        throw new IOException("the pipe ended with " + left + " teed bytes still in it");
                    }
                    left -= r;
                }
            }
        } catch (Throwable t) {
            // The next child closing its input ends the joint as a shell's would: the previous one
            // gets EPIPE once its output is closed. The observer closing its pipe is a failure.
            if (!cutting && (!brokenPipe(t) || !joint.observer.source().isOpen())) {
                fail(Side.OBSERVER, t);
            }
        } finally {
            closeQuietly(joint.to);
            closeQuietly(joint.observer.sink());
            closeQuietly(joint.from);
        }
    }

    private String message(ChildRun.Result r) {
        String what;
        switch (failedSide) {
            case INPUT: what = "the input failed first (" + failure + ")"; break;
            case OUTPUT: what = "the output failed first (" + failure + ")"; break;
            case OBSERVER: what = "an observer failed first (" + failure + ")"; break;
            case TIMEOUT: what = "it did not finish within " + run.timeout; break;
            case INTERRUPT: what = "the waiting thread was interrupted"; break;
            default: what = "a child did not exit with 0"; break;
        }
        StringBuilder sb = new StringBuilder(run.describe()).append(": ").append(what).append(", after ")
                .append(r.bytesIn()).append(" bytes in and ").append(r.bytesOut()).append(" bytes out; ")
                .append(r.statuses().size() == 1 ? "status " : "statuses ").append(r.statuses());
        if (!r.signalsSent().isEmpty()) {
            sb.append("; the run sent its process group ").append(String.join(", then ", r.signalsSent()));
        }
        for (int i = n - 1; i >= 0; i--) {
            String err = r.stderr().get(i).strip();
            if (!err.isEmpty()) {
                sb.append("; standard error of ").append(run.commands.get(i).command().get(0)).append(": ")
                        .append(err.length() > 2000 ? "..." + err.substring(err.length() - 2000) : err);
                break;
            }
        }
        return sb.toString();
    }

    /** Whether {@code t} is, or is caused by, {@code EPIPE}: the reader is gone. */
    static boolean brokenPipe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PipeException && ((PipeException) c).errno() == Errno.EPIPE) {
                return true;
            }
        }
        return false;
    }

    static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the run's own failure, if any, is the one reported
        }
    }

    private static Pipe open(List<Channel> opened) throws IOException {
        Pipe p = open();
        opened.add(p.source());
        opened.add(p.sink());
        return p;
    }

    /**
     * A pipe of {@link #PIPE_SIZE} where the user's limits allow it, else of the default size: a
     * child then moves 1 MiB per wake-up instead of 64 KiB (cat both ways: 0.43 -> 0.97 GiB/s in
     * ChildRunBench).
     */
    static Pipe open() throws IOException {
        Pipe p = Pipes.open();
        try {
            p.sink().capacity(PIPE_SIZE);
        } catch (PipeException refused) {
            // over the user's pipe-size limits: the default size works, only slower
        }
        return p;
    }

    /**
     * What the run takes from a user's {@link ProcessBuilder}: a copy made under its lock (one
     * builder may serve several runs at once, and the caller's is never changed), with its
     * redirects checked against the run's pipes.
     */
    static final class Builder {
        final List<String> command;
        final Map<String, String> environment;
        final String directory;
        final LinuxProcess.Stderr stderr;
        final String stderrPath;
        /** The program's file, looked up in the JVM's PATH here; null to leave the lookup to posix_spawnp. */
        final String program;

        private Builder(List<String> command, Map<String, String> environment, String directory, LinuxProcess.Stderr stderr,
                String stderrPath) {
            this.command = command;
            this.environment = environment;
            this.directory = directory;
            this.stderr = stderr;
            this.stderrPath = stderrPath;
            this.program = lookUp(command.get(0));
        }

        /**
         * The file {@code posix_spawnp} would run for {@code name}: the first executable regular
         * file of that name in the JVM's {@code PATH}. Looked up here, with a {@code stat} a
         * directory, instead of in the child, where each miss is a failed {@code execve} while the
         * parent's thread waits (8 of them a run on this machine's PATH). Null when the name holds a
         * '/', the PATH has a relative directory, or nothing is found: posix_spawnp then decides,
         * and reports the error.
         */
        private static String lookUp(String name) {
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                return null;
            }
            String path = System.getenv("PATH");
            for (String dir : (path == null ? "/bin:/usr/bin" : path).split(":", -1)) {
                if (!dir.startsWith("/")) {
                    return null;
                }
                File f = new File(dir, name);
                if (f.isFile() && f.canExecute()) {
                    return f.getPath();
                }
            }
            return null;
        }

        static Builder of(ProcessBuilder given, int index) throws IOException {
            List<String> command;
            Map<String, String> environment;
            File dir;
            Redirect in;
            Redirect out;
            Redirect err;
            boolean merged;
            synchronized (given) {
                command = List.copyOf(given.command());
                environment = new HashMap<>(given.environment());
                dir = given.directory();
                in = given.redirectInput();
                out = given.redirectOutput();
                err = given.redirectError();
                merged = given.redirectErrorStream();
            }
            String who = "command " + index + " (" + String.join(" ", command) + ")";
            if (command.isEmpty()) {
                throw new IllegalArgumentException(who + " is empty");
            }
            if (in != Redirect.PIPE) {
                throw new IllegalArgumentException(who + " redirects its standard input (" + in + "), which the run feeds: give "
                        + "ChildRun an input (ChildInput.file, ...) instead");
            }
            if (out != Redirect.PIPE) {
                throw new IllegalArgumentException(who + " redirects its standard output (" + out + "), which the run drains: give "
                        + "ChildRun an output (ChildOutput.file, ...) instead");
            }
            if (dir != null && !dir.isDirectory()) {
                throw new IOException(who + ": its directory " + dir + (dir.exists() ? " is not a directory" : " does not exist"));
            }
            LinuxProcess.Stderr stderr;
            String path = null;
            if (merged) {
                stderr = LinuxProcess.Stderr.STDOUT;
            } else if (err == Redirect.PIPE) {
                stderr = LinuxProcess.Stderr.FD;
            } else if (err == Redirect.INHERIT) {
                stderr = LinuxProcess.Stderr.INHERIT;
            } else if (err.type() == Redirect.Type.WRITE || err.type() == Redirect.Type.APPEND) {
                stderr = err.type() == Redirect.Type.WRITE ? LinuxProcess.Stderr.FILE : LinuxProcess.Stderr.APPEND;
                File f = err.file();
                File parent = f.getAbsoluteFile().getParentFile();
                if (parent != null && !parent.isDirectory()) {
                    throw new IOException(who + ": the directory of its standard error's file " + f + " does not exist");
                }
                path = f.getAbsolutePath(); // the JVM's directory, as the JDK's; the child's chdir comes first
            } else {
                throw new IllegalArgumentException(who + " redirects its standard error from a file (" + err + ")");
            }
            return new Builder(command, environment, dir == null ? null : dir.getPath(), stderr, path);
        }
    }

    /** The pooled platform threads that run the sides of every run, and the starts from virtual threads. */
    static final class Sides {
        static final java.util.concurrent.ExecutorService POOL = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE,
                30, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "jsplice-run-" + Sides.COUNT.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();
        /**
         * What virtual threads hand to the pool: the starts of their runs (posix_spawnp holds its
         * thread until the child has called exec) and their sides. A virtual thread only queues the
         * task; the dispatcher, a platform thread of its own, gives it to the pool, where a thread
         * may have to be started. The pool grows as it must, so a start that waits (for a FIFO's
         * reader, say) never holds up another.
         */
        static final java.util.concurrent.Executor DISPATCH = new Dispatcher();

        private Sides() {
        }
    }

    /** Hands queued tasks to {@link Sides#POOL} from a platform thread, started on first use. */
    private static final class Dispatcher implements java.util.concurrent.Executor {
        private final java.util.concurrent.LinkedBlockingQueue<Runnable> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private volatile boolean started;

        @Override
        public void execute(Runnable task) {
            queue.add(task);
            if (!started) {
                start();
            }
        }

        private synchronized void start() {
            if (started) {
                return;
            }
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Sides.POOL.execute(queue.take());
                    } catch (InterruptedException e) {
                        // a daemon that runs as long as the JVM: nothing interrupts it on purpose
                    } catch (RuntimeException | Error e) {
                        LOG.warn("jsplice's run dispatcher could not hand over a task: {}", e.toString());
                    }
                }
            }, "jsplice-run-dispatch");
            t.setDaemon(true);
            t.start();
            started = true;
        }
    }

    /** The timer of timeouts and grace periods, and the hook that ends the trees at the JVM's exit. */
    static final class Timers {
        static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = timer();

        private Timers() {
        }

        private static java.util.concurrent.ScheduledThreadPoolExecutor timer() {
            java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "jsplice-run-timer");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            return t;
        }
    }

    /** The last bytes of a child's standard error, read from a pipe the run owns. */
    private static final class Tail {
        private final byte[] ring;
        private long total;
        final PipeSource source;

        Tail(int limit, PipeSource source) {
            this.ring = new byte[limit];
            this.source = source;
        }

        /** Reads until the end; returns false when the pipe was closed under it instead. */
        boolean drain() {
            ByteBuffer chunk = ByteBuffer.allocate(8192);
            try {
                while (source.read(chunk.clear()) >= 0) {
                    add(chunk.array(), chunk.position());
                }
                return true;
            } catch (IOException e) {
                return false;
            } finally {
                closeQuietly(source);
            }
        }

        private synchronized void add(byte[] b, int len) {
            for (int i = 0; i < len && ring.length > 0; i++) {
                ring[(int) (total++ % ring.length)] = b[i];
            }
        }

        synchronized String text() {
            int size = (int) Math.min(total, ring.length);
            byte[] out = new byte[size];
            int start = (int) ((total - size) % Math.max(1, ring.length));
            for (int i = 0; i < size; i++) {
                out[i] = ring[(start + i) % ring.length];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
