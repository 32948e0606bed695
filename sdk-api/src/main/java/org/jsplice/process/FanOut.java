package org.jsplice.process;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.jsplice.process.FanOutException.Reason;

/**
 * One copy of the data to several consumers (children, files, streams, pipes) without copying it:
 * the input goes into one pipe, {@code tee(2)} gives every consumer but the last a reference to the
 * same pages, and {@code splice(2)} moves them to the last. The slowest consumer sets the pace: a
 * batch goes to every consumer before the next one is taken.
 *
 * <pre>{@code
 * FanOut.of(ChildInput.file(Path.of("image.iso")),
 *         ChildOutput.child(ChildRun.of(new ProcessBuilder("sha256sum")).output(ChildOutput.stream(System.out))),
 *         ChildOutput.file(Path.of("copy.iso")))
 *     .timeout(Duration.ofMinutes(10))
 *     .run();
 * }</pre>
 *
 * <p>No consumer can change what another gets: each reads its own pipe, the pages are shared
 * read-only (a page that sits in two pipes cannot be stolen by {@code SPLICE_F_MOVE}), and the input
 * is written with {@link PipeWriter}'s safe default, which never writes a page again. A consumer
 * that stops early (a child that exits, as {@code head} does) or fails is left out from then on,
 * and the others go on to the end, as {@code tee(1)} does; {@link #run()} then throws {@link
 * FanOutException} if anything failed. The input, each consumer and the batches run on a thread of
 * their own; the calling thread waits (it parks, on a virtual thread).
 *
 * <h2 id="cancellation">Cancellation</h2>
 * The {@link #timeout} passing, an interrupt of the thread in {@link #run()}, or a failure in moving
 * the batches (other than a consumer going away) ends everything, as {@link ChildRun} does: every
 * pipe of the fan-out is closed, so that a call waiting on one ends, and every thread of it is
 * interrupted, so that a consumer's {@link ChildRun} kills its children; {@link #run()} then throws
 * {@link FanOutException} with the {@link FanOutException.Reason reason}, and after an interrupt sets
 * the thread's interrupt status again. {@link #run()} never returns, nor throws, while a thread it
 * started is still running: an input or consumer that neither uses its pipe nor answers an interrupt
 * (one blocked reading {@code System.in}, say) keeps it waiting until that returns.
 *
 * <p>Instances are immutable: {@link #timeout} returns a new fan-out.
 */
public final class FanOut {
    private static final long BATCH = 1L << 20;

    private final ChildInput input;
    private final List<ChildOutput> consumers;
    /** How long a run may take; null: as long as it takes. */
    private final Duration timeout;

    private FanOut(ChildInput input, List<ChildOutput> consumers, Duration timeout) {
        this.input = input;
        this.consumers = consumers;
        this.timeout = timeout;
    }

    /**
     * A fan-out of {@code input} to {@code consumers}, with no timeout.
     *
     * @param input what is read once
     * @param consumers who each get all of it; at least one
     * @return the fan-out
     */
    public static FanOut of(ChildInput input, ChildOutput... consumers) {
        if (consumers.length == 0) {
            throw new IllegalArgumentException("a fan-out needs at least one consumer");
        }
        return new FanOut(Objects.requireNonNull(input, "input"), List.of(consumers), null);
    }

    /**
     * How long {@link #run()} may take, from the start of its threads: once it has passed, everything
     * is ended (see <a href="#cancellation">Cancellation</a>) and the run fails ({@link
     * FanOutException.Reason#TIMEOUT}). None by default: an input or a consumer that never ends is
     * waited for.
     *
     * @param timeout the time, positive
     * @return a fan-out with this timeout; this one is unchanged
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public FanOut timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new FanOut(input, consumers, timeout);
    }

    /**
     * Runs it: returns once the input has ended and every consumer has returned. Whatever happens,
     * it returns or throws only after every thread it started has ended.
     *
     * @return what each consumer took
     * @throws FanOutException if the input or a consumer failed (the others ran to the end), or the
     *     fan-out was cancelled: its timeout passed, the thread was interrupted (its interrupt status
     *     is then set again), or moving the batches failed; {@link FanOutException#reason()} says which
     * @throws IOException if the pipes could not be made
     */
    public Result run() throws IOException {
        return new Runner().run();
    }

    /** One run: its pipes, its threads, their failures, and what cancelled it, if anything did. */
    private final class Runner {
        private final int n = consumers.size();
        /** Every pipe of the run: all opened before the first thread starts, all closed by its end. */
        private final List<Pipe> opened = new ArrayList<>();
        /** Each consumer's failure, then the input's at {@code n}; read once every thread has been joined. */
        private final Throwable[] failures = new Throwable[n + 1];
        /** Every thread started; guarded by itself. */
        private final List<Thread> threads = new ArrayList<>();
        /** Counted down by each thread as it ends. */
        private final CountDownLatch done = new CountDownLatch(n + 2);
        /** What cancelled the run first, and its cause; guarded by this. */
        private Reason cancelled;
        private Throwable cancelCause;

        Result run() throws IOException {
            Counted.Source[] taken = new Counted.Source[n];
            Counted.Sink in;
            boolean interrupted;
            try (NativeFile nowhere = Pipes.openFile(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
                Pipe hub = open();
                Pipe lag = open();
                sameSize(hub, lag);
                Pipe[] out = new Pipe[n];
                for (int i = 0; i < n; i++) {
                    out[i] = open();
                    taken[i] = new Counted.Source(out[i].source());
                }
                in = new Counted.Sink(hub.sink());
                try {
                    start("fan-out-input", () -> {
                        try {
                            input.feed(in);
                        } catch (Throwable t) {
                            if (!ChildRunner.brokenPipe(t)) {
                                failures[n] = t;
                            }
                        } finally {
                            ChildRunner.closeQuietly(in);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        start("fan-out-" + i, () -> {
                            try {
                                consumers.get(k).drain(taken[k]);
                            } catch (Throwable t) {
                                failures[k] = t;
                            } finally {
                                ChildRunner.closeQuietly(taken[k]); // the batches leave it out from now on
                            }
                        });
                    }
                    start("fan-out-batches", () -> {
                        try {
                            new Batches(hub.source(), lag, out, nowhere.fd()).run();
                        } catch (Throwable t) {
                            cancel(Reason.RELAY, t); // ignored when a cancellation caused it
                        }
                    });
                } catch (Throwable t) { // a thread that could not start: the others are ended first
                    end();
                    if (joinAll()) {
                        Thread.currentThread().interrupt();
                    }
                    throw t;
                }
                interrupted = await();
            } finally {
                for (Pipe p : opened) {
                    ChildRunner.closeQuietly(p.source());
                    ChildRunner.closeQuietly(p.sink());
                }
            }
            long[] bytes = new long[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = taken[i].bytes.get();
            }
            Result result = new Result(in.bytes.get(), bytes, failures);
            Reason reason;
            Throwable cause;
            synchronized (this) {
                reason = cancelled;
                cause = cancelCause;
            }
            if (reason == null && failures[n] != null) {
                reason = Reason.INPUT;
                cause = failures[n];
            }
            for (int i = 0; reason == null && i < n; i++) {
                if (failures[i] != null) {
                    reason = Reason.CONSUMER;
                    cause = failures[i];
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (reason != null) {
                throw new FanOutException(message(reason, cause, result), reason, result, cause);
            }
            return result;
        }

        private Pipe open() throws IOException {
            Pipe p = ChildRunner.open();
            opened.add(p);
            return p;
        }

        private void start(String name, Runnable body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } finally {
                    done.countDown();
                }
            }, "jsplice-" + name);
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }

        /**
         * Waits for every thread: until the timeout, if there is one, then, after a cancellation,
         * however long they take to end. Returns whether the caller was interrupted.
         */
        private boolean await() {
            boolean interrupted = false;
            try {
                if (timeout == null) {
                    done.await();
                } else if (!done.await(nanos(timeout), TimeUnit.NANOSECONDS)) {
                    cancel(Reason.TIMEOUT, null);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                cancel(Reason.INTERRUPT, e);
            }
            return joinAll() | interrupted;
        }

        /**
         * Joins every thread started, however long it takes: run() must not return before. An
         * interrupt meanwhile cancels the run (ends everything again); returns whether there was one.
         */
        private boolean joinAll() {
            boolean interrupted = false;
            List<Thread> all;
            synchronized (threads) {
                all = new ArrayList<>(threads);
            }
            for (Thread t : all) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        cancel(Reason.INTERRUPT, e);
                    }
                }
            }
            return interrupted;
        }

        /** Records the first cancellation, and ends everything. */
        private void cancel(Reason reason, Throwable cause) {
            synchronized (this) {
                if (cancelled == null) {
                    cancelled = reason;
                    cancelCause = cause;
                }
            }
            end();
        }

        /**
         * Ends everything: closes every pipe of the run, so that each call waiting on one ends, and
         * interrupts every thread but this one, so that a consumer's {@link ChildRun} kills its
         * children and a thread waiting elsewhere wakes. {@code /dev/null} stays open until every
         * thread has been joined: the batches may still be splicing into its descriptor.
         */
        private void end() {
            for (Pipe p : opened) {
                ChildRunner.closeQuietly(p.source());
                ChildRunner.closeQuietly(p.sink());
            }
            synchronized (threads) {
                for (Thread t : threads) {
                    if (t != Thread.currentThread()) {
                        t.interrupt();
                    }
                }
            }
        }

        private String message(Reason reason, Throwable cause, Result result) {
            String what;
            switch (reason) {
                case INPUT: what = "the input failed (" + cause + ")"; break;
                case CONSUMER: what = "a consumer failed (" + cause + ")"; break;
                case RELAY: what = "moving the batches failed (" + cause + ")"; break;
                case TIMEOUT: what = "the timeout passed: it did not finish within " + timeout; break;
                default: what = "the thread in run() was interrupted"; break;
            }
            return "fan-out to " + n + " consumers: " + what + "; " + result;
        }
    }

    /** The time in nanoseconds, at most {@link Long#MAX_VALUE} (292 years). */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The lag pipe must take a whole batch of the hub's: the same capacity, the smaller of the two. */
    private static void sameSize(Pipe hub, Pipe lag) throws IOException {
        int h = hub.sink().capacity();
        int l = lag.sink().capacity();
        if (l < h) {
            hub.sink().capacity(l);
        } else if (l > h) {
            lag.sink().capacity(h);
        }
    }

    /** The batches: tee to all consumers but the last alive, splice to it; a consumer gone is left out. */
    private static final class Batches {
        private final PipeSource hub;
        private final Pipe lag;
        private final Pipe[] out;
        private final int nowhere;
        private final boolean[] gone;

        Batches(PipeSource hub, Pipe lag, Pipe[] out, int nowhere) {
            this.hub = hub;
            this.lag = lag;
            this.out = out;
            this.nowhere = nowhere;
            this.gone = new boolean[out.length];
        }

        void run() throws IOException {
            try {
                while (true) {
                    List<Integer> alive = new ArrayList<>();
                    for (int i = 0; i < out.length; i++) {
                        if (!gone[i]) {
                            alive.add(i);
                        }
                    }
                    if (alive.isEmpty()) {
                        return; // the input sees EPIPE
                    }
                    int first = alive.get(0);
                    long t;
                    try {
                        t = alive.size() == 1 ? hub.splice(out[first].sink(), BATCH) : hub.tee(out[first].sink(), BATCH);
                    } catch (IOException e) {
                        leaveOut(first, e);
                        continue;
                    }
                    if (t < 0) {
                        return;
                    }
                    if (alive.size() == 1 || t == 0) {
                        continue;
                    }
                    for (int j = 1; j < alive.size() - 1; j++) {
                        teeExactly(alive.get(j), t);
                    }
                    int last = alive.get(alive.size() - 1);
                    long left = move(hub, out[last].sink(), t, last);
                    drop(hub, left);
                }
            } finally {
                for (Pipe p : out) {
                    ChildRunner.closeQuietly(p.sink());
                }
                ChildRunner.closeQuietly(hub);
            }
        }

        /**
         * Gives consumer {@code j} the first {@code t} bytes of the hub without taking them. A tee
         * that stops short cannot be resumed (the next one starts at the hub's first byte again), so
         * the rest goes through the lag pipe: the whole batch teed into it, the part already given
         * dropped, the remainder spliced on.
         */
        private void teeExactly(int j, long t) throws IOException {
            long given;
            try {
                given = hub.tee(out[j].sink(), t);
            } catch (IOException e) {
                leaveOut(j, e);
                return;
            }
            if (given >= t) {
                return;
            }
            long r = hub.tee(lag.sink(), t); // the lag pipe is empty and as large as the hub: it takes the whole batch
            if (r != t) {
                throw new IOException("the lag pipe took " + r + " of a batch of " + t + " bytes");
            }
            drop(lag.source(), Math.max(given, 0));
            long left = move(lag.source(), out[j].sink(), t - Math.max(given, 0), j);
            drop(lag.source(), left);
        }

        /** Splices {@code t} bytes on; returns what is left of them when the consumer went away first. */
        private long move(PipeSource from, PipeSink to, long t, int consumer) throws IOException {
            long left = t;
            try {
                while (left > 0) {
                    long r = from.splice(to, left);
                    if (r < 0) {
                        throw new IOException("the pipe ended with " + left + " bytes of a batch still due");
                    }
                    left -= r;
                }
            } catch (IOException e) {
                if (!ChildRunner.brokenPipe(e) && to.isOpen()) {
                    throw e;
                }
                gone[consumer] = true;
            }
            return left;
        }

        private void drop(PipeSource from, long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                long r = from.splice(nowhere, left);
                if (r < 0) {
                    throw new IOException("the pipe ended with " + left + " bytes still to drop");
                }
                left -= r;
            }
        }

        private void leaveOut(int consumer, IOException e) throws IOException {
            if (!ChildRunner.brokenPipe(e) && out[consumer].sink().isOpen()) {
                throw e;
            }
            gone[consumer] = true;
        }
    }

    /**
     * What a fan-out did. Immutable, and serializable with its failures (so that a {@link
     * FanOutException} keeps its figures), as long as those are.
     */
    public static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The bytes the input gave. */
        private final long bytesIn;
        /** The bytes each consumer took, in the order given. */
        private final long[] bytesTaken;
        /** Each consumer's failure, in the order given, then the input's; {@code null} where none. */
        private final Throwable[] failures;

        Result(long bytesIn, long[] bytesTaken, Throwable[] failures) {
            if (failures.length != bytesTaken.length + 1) {
                throw new IllegalArgumentException(failures.length + " failures for " + bytesTaken.length + " consumers");
            }
            this.bytesIn = bytesIn;
            this.bytesTaken = bytesTaken.clone();
            this.failures = failures.clone();
        }

        /**
         * A result of its own for what was read: arrays no one else holds, of lengths that fit.
         *
         * @return the result
         * @throws ObjectStreamException if the stream's arrays are missing or do not fit
         */
        private Object readResolve() throws ObjectStreamException {
            if (bytesTaken == null || failures == null || failures.length != bytesTaken.length + 1) {
                throw new InvalidObjectException("a fan-out result needs one failure slot per consumer and one for the input");
            }
            return new Result(bytesIn, bytesTaken, failures);
        }

        /**
         * The bytes the input gave.
         *
         * @return the bytes
         */
        public long bytesIn() {
            return bytesIn;
        }

        /**
         * The bytes consumer {@code i} took out of its pipe.
         *
         * @param i the consumer, in the order given
         * @return the bytes
         */
        public long bytesTaken(int i) {
            return bytesTaken[i];
        }

        /**
         * Why consumer {@code i} failed, or {@code null}; after a cancellation, possibly what the
         * cancellation made it throw.
         *
         * @param i the consumer, in the order given
         * @return the failure
         */
        public Throwable failure(int i) {
            return failures[i];
        }

        /**
         * Why the input failed, or {@code null}.
         *
         * @return the failure
         */
        public Throwable inputFailure() {
            return failures[bytesTaken.length];
        }

        /**
         * The failures, consumers first, then the input; {@code null} where none. After a
         * cancellation, also what the input and the consumers threw as their pipes were closed and
         * their threads interrupted.
         *
         * @return the failures
         */
        public List<Throwable> failures() {
            return Collections.unmodifiableList(Arrays.asList(failures.clone()));
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("bytesIn=").append(bytesIn);
            for (int i = 0; i < bytesTaken.length; i++) {
                sb.append(", consumer ").append(i).append(" took ").append(bytesTaken[i]);
                if (failures[i] != null) {
                    sb.append(" (failed: ").append(failures[i]).append(')');
                }
            }
            if (inputFailure() != null) {
                sb.append(", input failed: ").append(inputFailure());
            }
            return sb.toString();
        }
    }
}
