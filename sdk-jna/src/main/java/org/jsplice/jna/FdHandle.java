package org.jsplice.jna;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A descriptor with a count of the calls under way on it, so that it is closed only when none is.
 *
 * <p>The state packs a closed bit (the sign bit) and the number of calls under way. Each call
 * {@link #acquire()}s before it touches the descriptor and {@link #release()}s after. {@link
 * #close()} sets the closed bit; whoever brings the state to "closed, nothing under way" runs the
 * release action exactly once. A descriptor number is thus never used after close(2) has freed it
 * for reuse by another open file.
 */
final class FdHandle {
    private static final int CLOSED = Integer.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger();
    private final int fd;
    private final Runnable onLastRelease;

    /** @param onLastRelease runs once, when closed and no call is under way; must not throw */
    FdHandle(int fd, Runnable onLastRelease) {
        this.fd = fd;
        this.onLastRelease = onLastRelease;
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
            onLastRelease.run();
        }
    }

    boolean isOpen() {
        return state.get() >= 0;
    }

    /**
     * Marks the descriptor closed.
     *
     * @return true if this call closed it and no call was under way, so the release action ran
     *     here; false if it was closed before, or the last call under way will run it
     */
    boolean close() {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    onLastRelease.run();
                    return true;
                }
                return false;
            }
        }
    }
}
