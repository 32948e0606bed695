package org.jsplice.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jsplice.process.ChildRunException.Side;
import org.jsplice.Errno;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;

/**
 * One execution of a {@link ChildRun}: the pipes, the children, a thread per direction (and per
 * observed joint, and per standard error), and the first failure, which ends everything else.
 */
final class ChildRunner {
    /** How long a failed run waits for killed children and unblocked threads before it reports. */
    private static final long REAP_SECONDS = 10;
    /** The size asked for every pipe of a run: {@code /proc/sys/fs/pipe-max-size}'s default. */
    static final int PIPE_SIZE = 1 << 20;

    private final ChildRun run;
    private final int n;
    private final Process[] processes;
    private final Tail[] tails;
    private final Joint[] joints;
    /** Every pipe end the parent holds; all closed when the run ends or fails. */
    private final List<Channel> held = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private Counted.Sink stdin;
    private Counted.Source stdout;
    private volatile boolean inputComplete;
    private CountDownLatch done;
    private Side failedSide;
    private Throwable failure;

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
        this.processes = new Process[n];
        this.tails = new Tail[n];
        this.joints = new Joint[n - 1];
    }

    ChildRun.Result run() throws IOException {
        start();
        int threadCount = 2 + 2 * count(joints) + count(tails);
        done = new CountDownLatch(threadCount + n);
        for (Process p : processes) {
            p.onExit().thenRun(done::countDown);
        }
        spawn("input", () -> {
            try {
                run.input.feed(stdin);
                inputComplete = true;
            } catch (Throwable t) {
                if (!brokenPipe(t)) {
                    fail(Side.INPUT, t);
                }
            } finally {
                closeQuietly(stdin);
            }
        });
        spawn("output", () -> {
            try {
                run.output.drain(stdout);
            } catch (Throwable t) {
                fail(Side.OUTPUT, t);
            } finally {
                closeQuietly(stdout);
            }
        });
        for (int j = 0; j < joints.length; j++) {
            Joint joint = joints[j];
            if (joint != null) {
                ChildOutput observer = run.observers.get(j);
                spawn("relay-" + j, () -> relay(joint));
                spawn("observer-" + j, () -> {
                    try {
                        observer.drain(joint.observer.source());
                    } catch (Throwable t) {
                        fail(Side.OBSERVER, t);
                    } finally {
                        closeQuietly(joint.observer.source());
                    }
                });
            }
        }
        for (int i = 0; i < n; i++) {
            Tail tail = tails[i];
            if (tail != null) {
                InputStream err = processes[i].getErrorStream();
                spawn("stderr-" + i, () -> tail.readFrom(err));
            }
        }
        boolean interrupted = await();
        Integer[] statuses = new Integer[n];
        String[] stderr = new String[n];
        for (int i = 0; i < n; i++) {
            statuses[i] = processes[i].isAlive() ? null : processes[i].exitValue();
            stderr[i] = tails[i] == null ? "" : tails[i].text();
        }
        if (failedSide == null) {
            for (int i = n - 1; i >= 0; i--) {
                if (statuses[i] == null || statuses[i] != 0) {
                    failedSide = Side.CHILD;
                    failure = null;
                    break;
                }
            }
        }
        ChildRun.Result result = new ChildRun.Result(stdin.bytes.get(), stdout.bytes.get(), inputComplete && failedSide == null,
                statuses, stderr);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failedSide != null) {
            throw new ChildRunException(message(result), failedSide, result, failure);
        }
        return result;
    }

    private static int count(Object[] things) {
        int c = 0;
        for (Object t : things) {
            c += t == null ? 0 : 1;
        }
        return c;
    }

    /** The pipes and the children; on a failure, closes what it opened and kills what it started. */
    private void start() throws IOException {
        List<Channel> forChildren = new ArrayList<>();
        try {
            PipeSource[] in = new PipeSource[n];
            PipeSink[] out = new PipeSink[n];
            Pipe first = open(forChildren);
            in[0] = first.source();
            held.add(first.sink());
            stdin = new Counted.Sink(first.sink());
            for (int j = 0; j < n - 1; j++) {
                Pipe a = open(forChildren);
                out[j] = a.sink();
                if (run.observers.get(j) == null) {
                    in[j + 1] = a.source();
                } else {
                    Pipe b = open(forChildren);
                    Pipe o = open(forChildren);
                    in[j + 1] = b.source();
                    joints[j] = new Joint(a.source(), b.sink(), o);
                    held.addAll(List.of(a.source(), b.sink(), o.sink(), o.source()));
                }
            }
            Pipe last = open(forChildren);
            out[n - 1] = last.sink();
            held.add(last.source());
            stdout = new Counted.Source(last.source());
            for (int i = 0; i < n; i++) {
                ProcessBuilder b = copy(run.commands.get(i));
                b.redirectInput(Redirect.from(PipedProcess.procFd(in[i]))).redirectOutput(Redirect.to(PipedProcess.procFd(out[i])));
                if (b.redirectError() == Redirect.PIPE && !b.redirectErrorStream()) {
                    tails[i] = new Tail(run.stderrLimit);
                }
                processes[i] = b.start();
                // The child holds its own ends now; ours would keep EPIPE and end of stream from everyone.
                in[i].close();
                out[i].close();
            }
        } catch (IOException | RuntimeException e) {
            for (Process p : processes) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
            forChildren.forEach(ChildRunner::closeQuietly);
            throw e;
        }
    }

    /**
     * A builder of its own for this run: the caller's stays as it was, and one builder shared by
     * runs on several threads (the same consumer given twice) cannot hand two children one pipe.
     */
    private static ProcessBuilder copy(ProcessBuilder given) {
        ProcessBuilder b;
        Redirect error;
        boolean merged;
        synchronized (given) {
            b = new ProcessBuilder(new ArrayList<>(given.command())).directory(given.directory());
            b.environment().clear();
            b.environment().putAll(given.environment());
            error = given.redirectError();
            merged = given.redirectErrorStream();
        }
        return b.redirectError(error).redirectErrorStream(merged);
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

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                done.countDown();
            }
        }, "jsplice-child-" + name);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
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
            if (!brokenPipe(t) || !joint.observer.source().isOpen()) {
                fail(Side.OBSERVER, t);
            }
        } finally {
            closeQuietly(joint.to);
            closeQuietly(joint.observer.sink());
            closeQuietly(joint.from);
        }
    }

    /** Records the first failure and ends everything else: children killed, pipes closed, threads woken. */
    private void fail(Side side, Throwable t) {
        synchronized (this) {
            if (failedSide != null) {
                return;
            }
            failedSide = side;
            failure = t;
        }
        for (Process p : processes) {
            p.destroyForcibly();
        }
        synchronized (held) {
            held.forEach(ChildRunner::closeQuietly);
        }
        synchronized (threads) {
            for (Thread th : threads) {
                if (th != Thread.currentThread()) {
                    th.interrupt();
                }
            }
        }
    }

    /** Waits for every thread and child; returns whether the caller was interrupted. */
    private boolean await() {
        boolean interrupted = false;
        try {
            if (run.timeout == null) {
                done.await();
            } else if (!done.await(run.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                fail(Side.TIMEOUT, null);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            fail(Side.INTERRUPT, e);
        }
        if (failedSide != null) {
            try {
                done.await(REAP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        synchronized (held) {
            held.forEach(ChildRunner::closeQuietly);
        }
        return interrupted;
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
                .append(r.bytesIn()).append(" bytes in and ").append(r.bytesOut()).append(" bytes out; exit statuses ")
                .append(r.exitStatuses());
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

    /** The last bytes of a child's standard error. */
    private static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int limit) {
            this.ring = new byte[limit];
        }

        void readFrom(InputStream err) {
            byte[] chunk = new byte[8192];
            try (err) {
                int k;
                while ((k = err.read(chunk)) >= 0) {
                    add(chunk, k);
                }
            } catch (IOException ignored) {
                // the stream ends with the child
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
