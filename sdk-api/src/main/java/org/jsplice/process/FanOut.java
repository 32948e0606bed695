package org.jsplice.process;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;

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
 *     .run();
 * }</pre>
 *
 * <p>No consumer can change what another gets: each reads its own pipe, the pages are shared
 * read-only (a page that sits in two pipes cannot be stolen by {@code SPLICE_F_MOVE}), and the input
 * is written with {@link PipeWriter}'s safe default, which never writes a page again. A consumer
 * that stops early (a child that exits, as {@code head} does) or fails is left out from then on,
 * and the others go on to the end, as {@code tee(1)} does; {@link #run()} then throws {@link
 * FanOutException} if anything failed. Each consumer and the input run on a thread of their own,
 * the batches on the calling thread (which parks, on a virtual thread).
 */
public final class FanOut {
    private static final long BATCH = 1L << 20;

    private final ChildInput input;
    private final List<ChildOutput> consumers;

    private FanOut(ChildInput input, List<ChildOutput> consumers) {
        this.input = input;
        this.consumers = consumers;
    }

    /**
     * A fan-out of {@code input} to {@code consumers}.
     *
     * @param input what is read once
     * @param consumers who each get all of it; at least one
     * @return the fan-out
     */
    public static FanOut of(ChildInput input, ChildOutput... consumers) {
        if (consumers.length == 0) {
            throw new IllegalArgumentException("a fan-out needs at least one consumer");
        }
        return new FanOut(Objects.requireNonNull(input, "input"), List.of(consumers));
    }

    /**
     * Runs it: returns once the input has ended and every consumer has returned.
     *
     * @return what each consumer took
     * @throws FanOutException if the input or a consumer failed; the others ran to the end
     * @throws IOException if the pipes could not be made
     */
    public Result run() throws IOException {
        int n = consumers.size();
        List<Pipe> opened = new ArrayList<>();
        Throwable[] failures = new Throwable[n + 1]; // the input's at n
        Counted.Source[] taken = new Counted.Source[n];
        List<Thread> threads = new ArrayList<>();
        try (NativeFile nowhere = Pipes.openFile(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            Pipe hub = open(opened);
            Pipe lag = open(opened);
            sameSize(hub, lag);
            Pipe[] out = new Pipe[n];
            for (int i = 0; i < n; i++) {
                out[i] = open(opened);
                taken[i] = new Counted.Source(out[i].source());
            }
            Counted.Sink in = new Counted.Sink(hub.sink());
            threads.add(start("fan-out-input", () -> {
                try {
                    input.feed(in);
                } catch (Throwable t) {
                    if (!ChildRunner.brokenPipe(t)) {
                        failures[n] = t;
                    }
                } finally {
                    ChildRunner.closeQuietly(in);
                }
            }));
            for (int i = 0; i < n; i++) {
                int k = i;
                threads.add(start("fan-out-" + i, () -> {
                    try {
                        consumers.get(k).drain(taken[k]);
                    } catch (Throwable t) {
                        failures[k] = t;
                    } finally {
                        ChildRunner.closeQuietly(taken[k]); // the batches leave it out from now on
                    }
                }));
            }
            new Batches(hub.source(), lag, out, nowhere.fd()).run();
            boolean interrupted = false;
            for (Thread t : threads) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        opened.forEach(p -> ChildRunner.closeQuietly(p.source()));
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            long[] bytes = new long[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = taken[i].bytes.get();
            }
            Result result = new Result(in.bytes.get(), bytes, failures);
            Throwable first = failures[n] != null ? failures[n] : Arrays.stream(failures).filter(Objects::nonNull).findFirst().orElse(null);
            if (first != null || interrupted) {
                throw new FanOutException("fan-out to " + n + " consumers: " + result, result, first);
            }
            return result;
        } finally {
            for (Pipe p : opened) {
                ChildRunner.closeQuietly(p.source());
                ChildRunner.closeQuietly(p.sink());
            }
        }
    }

    private static Pipe open(List<Pipe> opened) throws IOException {
        Pipe p = ChildRunner.open();
        opened.add(p);
        return p;
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

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, "jsplice-" + name);
        t.setDaemon(true);
        t.start();
        return t;
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

    /** What a fan-out did. Immutable. */
    public static final class Result {
        private final long bytesIn;
        private final long[] bytesTaken;
        private final Throwable[] failures;

        Result(long bytesIn, long[] bytesTaken, Throwable[] failures) {
            this.bytesIn = bytesIn;
            this.bytesTaken = bytesTaken.clone();
            this.failures = failures.clone();
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
         * Why consumer {@code i} failed, or {@code null}.
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
         * The failures, consumers first, then the input; {@code null} where none.
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
