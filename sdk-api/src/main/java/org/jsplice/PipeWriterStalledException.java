package org.jsplice;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PipeWriter#claim()} (or a {@link PipeWriter#write(java.nio.ByteBuffer)} that needed
 * one) waited out the writer's {@link PipeWriterBuilder#stallTimeout stall timeout} for a region
 * that other threads' claims hold, while no claim ended and one of them was not being committed.
 * Nothing of the call was sent ({@link #bytesTransferred()} is 0); the writer stays usable, and
 * goes on once the idle claim is committed or aborted.
 */
public class PipeWriterStalledException extends IOException implements PartialTransfer {
    private static final long serialVersionUID = 1L;

    /** The thread that held a claim without committing it, as {@link Thread#toString()} gave it. */
    private final String idleThread;
    /** How long the claim waited, in milliseconds, with no claim ending. */
    private final long waitedMillis;

    /**
     * The failure of a claim that found every region held.
     *
     * @param regions the writer's regions
     * @param claims the claims outstanding
     * @param idle the thread holding a claim it is not committing
     * @param waitedNanos how long the claim waited with no claim ending
     */
    PipeWriterStalledException(int regions, int claims, Thread idle, long waitedNanos) {
        super("no free region after " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms: regions=" + regions
                + " claims=" + claims + ", and " + idle + " holds a claim it is not committing; commit or abort "
                + "claims (flush a stream) before waiting on something else, or build the writer with a longer stallTimeout");
        this.idleThread = String.valueOf(idle);
        this.waitedMillis = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
    }

    /** {@return the thread that held a claim without committing it, as {@link Thread#toString()} gave it} */
    public String idleThread() {
        return idleThread;
    }

    /** {@return how long the claim waited, in milliseconds, with no claim ending} */
    public long waitedMillis() {
        return waitedMillis;
    }

    /** {@return 0: nothing of the call was sent} */
    @Override
    public long bytesTransferred() {
        return 0;
    }
}
