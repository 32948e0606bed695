package org.jsplice.process;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;

/**
 * Runs a program, or a pipeline of programs, over your data: feeds its standard input and drains
 * its standard output at once, and returns when both are done and every child has exited, with the
 * bytes counted each way and each exit status. It cannot deadlock, whatever a child does (reads
 * nothing, writes a gigabyte before it reads, closes its input early, dies): input and output each
 * have a thread, so both directions always progress or end.
 *
 * <pre>{@code
 * ChildRun.Result r = ChildRun.of(new ProcessBuilder("gzip", "-1"))
 *         .input(ChildInput.file(Path.of("data.bin")))     // spliced from the page cache
 *         .output(ChildOutput.file(Path.of("data.bin.gz"))) // spliced into the page cache
 *         .run();
 * }</pre>
 *
 * <h2>Pipes</h2>
 * The children's standard input and output are jsplice pipes ({@link PipedProcess} says how): a
 * file goes in and out with {@code splice(2)}, memory with {@link PipeWriter}'s safe default, and
 * the children of a {@link #pipeline} are joined by a pipe of their own, as a shell joins them. An
 * {@link #observe observed} joint passes through the JVM without a copy: {@code tee(2)} gives the
 * observer the pages, {@code splice(2)} moves the same pages on to the next child.
 *
 * <h2>Failures</h2>
 * A failure on any side ends the others: the run kills the children still running, closes every pipe
 * it opened, and throws {@link ChildRunException}, which says which side failed first and how many
 * bytes each side had moved. A child that exits with a status other than 0 fails the run the same
 * way (the rightmost, as {@code set -o pipefail} does), with the end of its standard error in the
 * message. A child that closes its standard input before the input ends is not a failure by itself:
 * {@link Result#inputComplete()} turns false, as {@code head} does in a shell pipeline.
 *
 * <p>Standard error is kept, the last {@link #stderrLimit} bytes of each child, unless the builder
 * redirects it elsewhere. Each run starts its children from copies of the builders (command,
 * directory, environment, standard error), whose standard input and output are the run's pipes: the
 * builders given are never changed, and one builder may serve several runs at once. The thread that calls {@link #run()} waits; on a virtual thread it parks. Instances are
 * immutable: each setter returns a new run.
 */
public final class ChildRun {
    final List<ProcessBuilder> commands;
    final ChildInput input;
    final ChildOutput output;
    /** One per joint between two children; null where the joint is a plain pipe. */
    final List<ChildOutput> observers;
    final Duration timeout;
    final int stderrLimit;
    final Duration gracePeriod;
    final Duration waitDelay;

    /** The defaults of {@link #gracePeriod} and {@link #waitDelay}. */
    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration WAIT_DELAY = Duration.ofSeconds(2);

    private ChildRun(List<ProcessBuilder> commands, ChildInput input, ChildOutput output, List<ChildOutput> observers,
            Duration timeout, int stderrLimit, Duration gracePeriod, Duration waitDelay) {
        this.commands = commands;
        this.input = input;
        this.output = output;
        this.observers = observers;
        this.timeout = timeout;
        this.stderrLimit = stderrLimit;
        this.gracePeriod = gracePeriod;
        this.waitDelay = waitDelay;
    }

    /**
     * A run of one program, with no input and its output discarded until told otherwise.
     *
     * @param command the program, its directory and environment
     * @return the run
     */
    public static ChildRun of(ProcessBuilder command) {
        return pipeline(command);
    }

    /**
     * A run of programs joined as a shell pipeline joins them: each one's standard output is the
     * next one's standard input.
     *
     * @param commands the programs, first to last; at least one
     * @return the run
     * @throws IllegalArgumentException if there are none
     */
    public static ChildRun pipeline(ProcessBuilder... commands) {
        if (commands.length == 0) {
            throw new IllegalArgumentException("a pipeline needs at least one command");
        }
        List<ProcessBuilder> list = List.of(commands); // rejects nulls
        return new ChildRun(list, ChildInput.none(), ChildOutput.discard(),
                Collections.nCopies(list.size() - 1, null), null, 64 * 1024, GRACE, WAIT_DELAY);
    }

    /**
     * What the first child reads.
     *
     * @param input the input; {@link ChildInput#none()} by default
     * @return a run with this input
     */
    public ChildRun input(ChildInput input) {
        return new ChildRun(commands, Objects.requireNonNull(input, "input"), output, observers, timeout, stderrLimit, gracePeriod, waitDelay);
    }

    /**
     * Where the last child's standard output goes.
     *
     * @param output the output; {@link ChildOutput#discard()} by default
     * @return a run with this output
     */
    public ChildRun output(ChildOutput output) {
        return new ChildRun(commands, input, Objects.requireNonNull(output, "output"), observers, timeout, stderrLimit, gracePeriod, waitDelay);
    }

    /**
     * Lets {@code observer} see every byte that passes from child {@code joint} to child {@code
     * joint + 1}, without copying them on their way: counts, progress, a digest. The observer sets the
     * pace as a consumer does; one that fails ends the run ({@link ChildRunException.Side#OBSERVER}).
     *
     * @param joint which joint: 0 is between the first child and the second
     * @param observer what sees the bytes
     * @return a run with this observer
     * @throws IndexOutOfBoundsException unless {@code 0 <= joint < commands - 1}
     */
    public ChildRun observe(int joint, ChildOutput observer) {
        Objects.checkIndex(joint, observers.size());
        List<ChildOutput> list = new ArrayList<>(observers);
        list.set(joint, Objects.requireNonNull(observer, "observer"));
        return new ChildRun(commands, input, output, Collections.unmodifiableList(list), timeout, stderrLimit, gracePeriod, waitDelay);
    }

    /**
     * How long the run may take: once it has passed, the run ends its process tree ({@code SIGTERM},
     * then {@code SIGKILL} after the {@link #gracePeriod}), closes its pipes and fails ({@link
     * ChildRunException.Side#TIMEOUT}). None by default: a child that never exits is waited for.
     *
     * @param timeout the time, positive
     * @return a run with this timeout
     * @throws IllegalArgumentException if it is zero or negative
     */
    public ChildRun timeout(Duration timeout) {
        return new ChildRun(commands, input, output, observers, positive("timeout", timeout), stderrLimit, gracePeriod, waitDelay);
    }

    /**
     * How long the processes of the run's tree get between {@code SIGTERM} and {@code SIGKILL}
     * when the run ends them (a timeout, a failure, an interrupt, or what is left of the tree once
     * the children have exited).
     *
     * @param grace the time, positive; 2 seconds by default
     * @return a run with this grace period
     * @throws IllegalArgumentException if it is zero or negative
     */
    public ChildRun gracePeriod(Duration grace) {
        return new ChildRun(commands, input, output, observers, timeout, stderrLimit, positive("gracePeriod", grace), waitDelay);
    }

    /**
     * How long the run waits, once every child has exited, for the pipes to end: a process the
     * children started ({@code sleep 30 &}) may still hold standard output or standard error open.
     * When it passes, the run closes its ends, ends what is left of the tree, and returns; {@link
     * Result#outputCut()} and {@link Result#stderrCut()} say which output was cut. As Go's {@code
     * Cmd.WaitDelay}.
     *
     * @param delay the time, positive; 2 seconds by default
     * @return a run with this delay
     * @throws IllegalArgumentException if it is zero or negative
     */
    public ChildRun waitDelay(Duration delay) {
        return new ChildRun(commands, input, output, observers, timeout, stderrLimit, gracePeriod, positive("waitDelay", delay));
    }

    private static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /**
     * How many bytes of each child's standard error to keep: the last ones.
     *
     * @param bytes at least 0; 65,536 by default
     * @return a run with this limit
     */
    public ChildRun stderrLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("stderrLimit must not be negative: " + bytes);
        }
        return new ChildRun(commands, input, output, observers, timeout, bytes, gracePeriod, waitDelay);
    }

    /**
     * Starts the children, feeds and drains them, and waits until everything is done.
     *
     * @return the figures of a run in which every child exited with 0
     * @throws ChildRunException if a side failed, a child exited otherwise, the timeout passed or the
     *     thread was interrupted (its interrupt status is then set again)
     * @throws IOException if a pipe could not be made or a child could not start; nothing stays open
     */
    public Result run() throws IOException {
        return new ChildRunner(this).run();
    }

    /** The commands as a shell would show them. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (ProcessBuilder b : commands) {
            sb.append(sb.length() == 0 ? "" : " | ").append(String.join(" ", b.command()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "ChildRun[" + describe() + "]";
    }

    /** What a run did. Immutable and serializable. */
    public static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The bytes that reached the first child. */
        private final long bytesIn;
        /** The bytes taken from the last child. */
        private final long bytesOut;
        /** Whether the whole input went in. */
        private final boolean inputComplete;
        /** One per child; null for one that had not exited. */
        private final List<ExitStatus> statuses;
        /** The end of each child's standard error. */
        private final List<String> stderr;
        /** Whether standard output was cut. */
        private final boolean outputCut;
        /** Whether each child's standard error was cut. */
        private final List<Boolean> stderrCut;
        /** The signals sent to the tree, in order. */
        private final List<String> signalsSent;
        /** Each child's pid. */
        private final List<Integer> pids;

        Result(long bytesIn, long bytesOut, boolean inputComplete, ExitStatus[] statuses, String[] stderr, boolean outputCut,
                boolean[] stderrCut, List<String> signalsSent, int[] pids) {
            this.bytesIn = bytesIn;
            this.bytesOut = bytesOut;
            this.inputComplete = inputComplete;
            this.statuses = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(statuses)));
            this.stderr = List.of(stderr);
            this.outputCut = outputCut;
            List<Boolean> cut = new ArrayList<>();
            for (boolean c : stderrCut) {
                cut.add(c);
            }
            this.stderrCut = Collections.unmodifiableList(cut);
            this.signalsSent = List.copyOf(signalsSent);
            List<Integer> p = new ArrayList<>();
            for (int pid : pids) {
                p.add(pid);
            }
            this.pids = Collections.unmodifiableList(p);
        }

        /**
         * The bytes that reached the first child's standard input.
         *
         * @return the bytes
         */
        public long bytesIn() {
            return bytesIn;
        }

        /**
         * The bytes taken out of the last child's standard output.
         *
         * @return the bytes
         */
        public long bytesOut() {
            return bytesOut;
        }

        /**
         * Whether the whole input reached the first child: false when it closed its standard input
         * (or exited) before the input ended, or when the run failed before.
         *
         * @return true if every byte of the input went in
         */
        public boolean inputComplete() {
            return inputComplete;
        }

        /**
         * How each child ended, first to last: an exit code or a signal; {@code null} for one that
         * had not exited (only when the run could not wait for it).
         *
         * @return the statuses
         */
        public List<ExitStatus> statuses() {
            return statuses;
        }

        /**
         * The last child's status as a shell shows it: its exit code, or 128 plus the signal that
         * ended it ({@link #statuses()} tells the two apart).
         *
         * @return the status; -1 if it had not exited
         */
        public int exitStatus() {
            ExitStatus s = statuses.get(statuses.size() - 1);
            return s == null ? -1 : s.shellStatus();
        }

        /**
         * Each child's status as a shell's {@code PIPESTATUS} shows it, first to last: the exit
         * code, or 128 plus the signal; {@code null} for one that had not exited. {@link
         * #statuses()} tells a signal from an exit code.
         *
         * @return the statuses
         */
        public List<Integer> exitStatuses() {
            List<Integer> list = new ArrayList<>();
            for (ExitStatus s : statuses) {
                list.add(s == null ? null : s.shellStatus());
            }
            return Collections.unmodifiableList(list);
        }

        /**
         * The end of each child's standard error, first to last, decoded as UTF-8; empty for a child
         * whose builder redirects it elsewhere.
         *
         * @return the texts
         */
        public List<String> stderr() {
            return stderr;
        }

        /**
         * Whether the last child's standard output was cut: once every child had exited, a process
         * they started still held it open past the {@link ChildRun#waitDelay}, or the run was ended.
         *
         * @return true if the output may be incomplete
         */
        public boolean outputCut() {
            return outputCut;
        }

        /**
         * For each child, whether its standard error was cut as {@link #outputCut()} says.
         *
         * @return one flag per child
         */
        public List<Boolean> stderrCut() {
            return stderrCut;
        }

        /**
         * The signals the run sent to its process tree, in order ({@code SIGTERM}, {@code SIGKILL});
         * empty when nothing of the tree had to be ended.
         *
         * @return the signals' names
         */
        public List<String> signalsSent() {
            return signalsSent;
        }

        /**
         * Each child's pid, first to last; the first one's is also the run's process group.
         *
         * @return the pids
         */
        public List<Integer> pids() {
            return pids;
        }

        @Override
        public String toString() {
            return "Result[bytesIn=" + bytesIn + ", bytesOut=" + bytesOut + (inputComplete ? "" : ", input cut short")
                    + ", statuses=" + statuses + (outputCut ? ", output cut" : "") + (stderrCut.contains(true) ? ", stderr cut" : "")
                    + (signalsSent.isEmpty() ? "" : ", sent " + signalsSent) + "]";
        }
    }
}
