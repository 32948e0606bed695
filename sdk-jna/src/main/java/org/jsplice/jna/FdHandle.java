package org.jsplice.jna;

import java.nio.channels.ClosedChannelException;
import org.jsplice.PipeException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A descriptor with a count of the calls under way on it, so that it is closed only when none is.
 *
 * <p>The state packs a closed bit (the sign bit) and the number of calls under way. Each call
 * {@link #acquire()}s before it touches the descriptor and {@link #release()}s after. {@link
 * #close()} sets the closed bit; whoever brings the state to "closed, nothing under way" closes an
 * owned descriptor and runs the release action, exactly once. A descriptor number is thus never used after close(2) has freed it
 * for reuse by another open file.
 */
final class FdHandle {
    private static final int CLOSED = Integer.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger();
    private final int fd;
    private final boolean owned;
    private final Runnable alsoRelease;
    private volatile int closeErrno;

    /**
     * @param owned whether the last release closes the descriptor itself
     * @param alsoRelease runs once after that, when closed and no call is under way; must not throw
     */
    FdHandle(int fd, boolean owned, Runnable alsoRelease) {
        this.fd = fd;
        this.owned = owned;
        this.alsoRelease = alsoRelease;
    }

    private void onLastRelease() {
        if (owned && LibC.close(fd) != 0) {
            closeErrno = LibC.errno();
        }
        alsoRelease.run();
    }

    int fd() {
        return fd;
    }

    /** Registers a call; every successful acquire must be followed by one release. */
    void acquire() throws ClosedChannelException {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                throw new ClosedChannelException();
            }
            if (s == Integer.MAX_VALUE) {
                throw new IllegalStateException("too many concurrent calls on fd " + fd);
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    void release() {
        if (state.decrementAndGet() == CLOSED) {
            onLastRelease();
        }
    }

    boolean isOpen() {
        return state.get() >= 0;
    }

    /**
     * Marks the descriptor closed; closes it now if no call is under way, else the last call under
     * way does when it returns.
     *
     * @throws PipeException if close(2) ran here and failed (a failure in a later release cannot
     *     reach anyone and is dropped)
     */
    void close() throws PipeException {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    onLastRelease();
                    if (closeErrno != 0) {
                        throw new PipeException("close(fd=" + fd + ")", closeErrno);
                    }
                }
                return;
            }
        }
    }
}
