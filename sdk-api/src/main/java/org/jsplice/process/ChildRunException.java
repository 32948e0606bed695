package org.jsplice.process;

import java.io.IOException;
import java.util.List;

/**
 * A {@link ChildRun} that failed: which part failed first, how many bytes each side had moved, how
 * each child exited, and the end of what each wrote on standard error. By then every child has
 * exited (those still running were killed) and every pipe the run opened is closed.
 */
public class ChildRunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The part of a run that failed first. */
    public enum Side {
        /** Reading the input, or writing it into the first child (other than the child closing its input). */
        INPUT,
        /** Reading the last child's output, or writing it to its destination. */
        OUTPUT,
        /** An observer between two children of a pipeline. */
        OBSERVER,
        /** A child exited with a status other than 0, or was killed by a signal. */
        CHILD,
        /** The run's timeout passed. */
        TIMEOUT,
        /** The thread that called {@link ChildRun#run()} was interrupted. */
        INTERRUPT,
        /** A thread of the run could not start (the system is out of threads or memory). */
        START
    }

    /** The part that failed first. */
    private final Side side;
    /** What the run did; {@link ChildRun.Result} is serializable. */
    private final ChildRun.Result result;

    ChildRunException(String message, Side side, ChildRun.Result result, Throwable cause) {
        super(message, cause);
        this.side = side;
        this.result = result;
    }

    /**
     * The part that failed first.
     *
     * @return the side
     */
    public Side side() {
        return side;
    }

    /**
     * What the run did before it ended: bytes each way, exit statuses, standard error.
     *
     * @return the figures
     */
    public ChildRun.Result result() {
        return result;
    }

    /**
     * The bytes that reached the first child's standard input.
     *
     * @return the bytes
     */
    public long bytesIn() {
        return result.bytesIn();
    }

    /**
     * The bytes taken out of the last child's standard output.
     *
     * @return the bytes
     */
    public long bytesOut() {
        return result.bytesOut();
    }

    /**
     * Each child's status as a shell's {@code PIPESTATUS} shows it (128 plus the signal for a
     * death by signal), in pipeline order; {@link #statuses()} tells a signal from an exit code.
     *
     * @return the statuses
     */
    public List<Integer> exitStatuses() {
        return result.exitStatuses();
    }

    /**
     * How each child ended, in pipeline order: an exit code or a signal.
     *
     * @return the statuses
     */
    public List<ExitStatus> statuses() {
        return result.statuses();
    }
}
