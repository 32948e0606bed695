package org.jsplice.internal.linux;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jsplice.PipeException;

/**
 * A descriptor with a count of the calls under way on it, so that it is closed only when none is.
 *
 * <p>The state packs a closed bit (the sign bit) and the number of calls under way. Each call
 * {@link #acquire()}s before it touches the descriptor and {@link #release()}s after. {@link
 * #close()} sets the closed bit; whoever brings the state to "closed, nothing under way" runs the
 * close action, exactly once. A descriptor number is thus never used after close(2) has freed it
 * for reuse by another open file. Thread-safe.
 */
public final class DescriptorHandle {
    private static final int CLOSED = Integer.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger();
    private final int fd;
    private final IntSupplier closeAction;
    private volatile int closeErrno;

    /**
     * A handle over an open descriptor.
     *
     * @param fd the descriptor
     * @param closeAction closes the descriptor (and whatever goes with it) once closed and no call is
     *     under way; returns 0, or the errno of a failed close(2); must not throw
     */
    public DescriptorHandle(int fd, IntSupplier closeAction) {
        this.fd = fd;
        this.closeAction = closeAction;
    }

    /**
     * The descriptor number.
     *
     * @return the number
     */
    public int fd() {
        return fd;
    }

    /**
     * Registers a call; every successful acquire must be followed by one release.
     *
     * @throws ClosedChannelException if the handle is closed
     */
    public void acquire() throws ClosedChannelException {
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

    /** Ends a call registered by {@link #acquire()}. */
    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            closeErrno = closeAction.getAsInt();
        }
    }

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return true until closed
     */
    public boolean isOpen() {
        return state.get() >= 0;
    }

    /**
     * The action of a {@link java.lang.ref.Cleaner} for an owner dropped without {@code close()}:
     * {@link #close()}, with a failure of close(2) dropped, since nobody is left to be told.
     */
    public void closeDropped() {
        try {
            close();
        } catch (PipeException | RuntimeException dropped) {
            // the owner is unreachable: nobody can be told
        }
    }

    /**
     * Marks the descriptor closed; closes it now if no call is under way, else the last call under
     * way does when it returns.
     *
     * @return true if this call marked it closed (false if it was already)
     * @throws PipeException if close(2) ran here and failed (a failure in a later release cannot
     *     reach anyone and is dropped)
     */
    public boolean close() throws PipeException {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    closeErrno = closeAction.getAsInt();
                    if (closeErrno != 0) {
                        throw new PipeException("close(fd=" + fd + ")", closeErrno);
                    }
                }
                return true;
            }
        }
    }
}
