package org.jsplice.internal.linux;

import java.nio.ByteBuffer;
import org.jsplice.PipeException;
import org.jsplice.internal.EndStatistics;
import org.jsplice.spi.SystemCalls;

/**
 * The descriptor, the eventfd, the twin descriptor and the native memory of one end: what its
 * close action gives back, exactly once, when no call is under way.
 */
final class EndResources {
    private final SystemCalls raw;
    private final int fd;
    private final boolean owned;
    private final ByteBuffer scratch;
    /** Where in the scratch memory the eventfd's counter is written. */
    private final int counter;
    private final EndStatistics stats;
    /** -1 before it is needed, -2 once the end is gone; guarded by this. */
    private int eventFd = -1;
    /**
     * The twin descriptor of {@link CopyPath}, where {@code RWF_NOWAIT} is refused: a second,
     * non-blocking open of the same pipe, private to this end; -1 before it is needed, -2 when it
     * could not be had. Written under the end's lock, read by the close action after every call.
     */
    volatile int twinFd = -1;

    EndResources(SystemCalls raw, int fd, boolean owned, ByteBuffer scratch, int counter, EndStatistics stats) {
        this.raw = raw;
        this.fd = fd;
        this.owned = owned;
        this.scratch = scratch;
        this.counter = counter;
        this.stats = stats;
    }

    /** The close action: returns the errno of a failed close(2), or 0. */
    int release() {
        int errno = owned ? Math.max(0, -raw.close(fd)) : 0;
        synchronized (this) {
            // After this, close() must not signal: the scratch memory is about to go.
            if (eventFd >= 0) {
                raw.close(eventFd);
            }
            eventFd = -2;
        }
        int twin = twinFd;
        if (twin >= 0) {
            raw.close(twin);
        }
        raw.free(scratch);
        stats.closed();
        return errno;
    }

    /** This end's eventfd, made on first need. */
    synchronized int wakeFd() throws PipeException {
        if (eventFd == -1) {
            int e = raw.eventfd();
            if (e < 0) {
                throw new PipeException("eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)", -e);
            }
            eventFd = e;
        }
        return eventFd;
    }

    /** Wakes every platform thread waiting in poll(2) on this end. */
    synchronized void signal() {
        if (eventFd >= 0) {
            scratch.putLong(counter, 1);
            raw.write(eventFd, raw.address(scratch) + counter, 8);
        }
    }
}
