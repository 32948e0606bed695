package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;
import static org.jsplice.internal.linux.Linux.O_RDONLY;
import static org.jsplice.internal.linux.Linux.O_WRONLY;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jsplice.PipeException;
import org.jsplice.internal.VirtualThreads;
import org.jsplice.spi.SystemCalls;

/**
 * Opening a FIFO, for every provider. {@code open(2)} of a FIFO waits until the other side opens
 * it too, and only the other side can end that wait; so while the calling thread waits, an
 * interrupt or the timeout ends it the only way there is: a helper thread opens the other side
 * itself for a moment ({@code O_NONBLOCK}), which releases the waiting {@code open}, whose
 * descriptor is then closed and the call fails with {@link ClosedByInterruptException} or {@link
 * InterruptedByTimeoutException}.
 *
 * <p>On a virtual thread the {@code open(2)} itself runs on a platform thread of the core's own,
 * made for the purpose and ended after a minute idle, while the virtual thread parks; an
 * interrupt and the timeout end it the same way.
 */
public final class Fifos {
    private static final ScheduledExecutorService HELPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jsplice-fifo-open");
        t.setDaemon(true);
        return t;
    });

    /** Platform threads for the opens of virtual threads: as many as wait at once, none when idle. */
    private static final ExecutorService OPENERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "jsplice-fifo-opener");
                t.setDaemon(true);
                return t;
            });

    private Fifos() {
    }

    /**
     * Opens the FIFO at {@code path}, for writing or for reading, waiting for the other side at most
     * {@code timeout} ({@code null}: as long as it takes).
     *
     * @param raw the provider's calls
     * @param path the FIFO
     * @param forWriting whether to open it for writing (else for reading)
     * @param timeout the longest wait, or {@code null}
     * @return the descriptor, {@code O_CLOEXEC}, blocking
     * @throws ClosedByInterruptException if the thread was interrupted while waiting (its interrupt
     *     status stays set)
     * @throws InterruptedByTimeoutException if nobody opened the other side within the timeout
     * @throws PipeException if {@code open(2)} fails
     */
    public static int open(SystemCalls raw, Path path, boolean forWriting, Duration timeout) throws IOException {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: timeout=" + timeout);
        }
        Opening opening = new Opening(raw, path.toString(), forWriting);
        ScheduledFuture<?> timer = timeout == null ? null
                : HELPER.schedule(opening::timeOut, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        try {
            return opening.run();
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** One open in progress, as a channel so that the JDK's interrupt protocol reaches it. */
    private static final class Opening extends AbstractInterruptibleChannel {
        private final SystemCalls raw;
        private final String path;
        private final boolean forWriting;
        private volatile boolean timedOut;
        /** Set right before open(2), so that the helper releases only an open that is under way. */
        private volatile boolean inOpen;
        private volatile boolean returned;

        Opening(SystemCalls raw, String path, boolean forWriting) {
            this.raw = raw;
            this.path = path;
            this.forWriting = forWriting;
        }

        int run() throws IOException {
            int fd = -1;
            boolean completed = false;
            begin();
            try {
                if (isOpen()) {
                    inOpen = true;
                    fd = VirtualThreads.current() ? CompletableFuture.supplyAsync(this::open, OPENERS).join() : open();
                }
                markReturned();
                completed = isOpen();
            } finally {
                try {
                    end(completed);
                } catch (AsynchronousCloseException e) {
                    if (fd >= 0) {
                        raw.close(fd);
                    }
                    if (timedOut && !(e instanceof ClosedByInterruptException)) {
                        throw new InterruptedByTimeoutException();
                    }
                    throw e;
                }
            }
            if (fd < 0) {
                throw new PipeException("open(path=" + path + ", " + (forWriting ? "O_WRONLY" : "O_RDONLY") + ")", -fd);
            }
            if (!completed) {
                // Released by our own helper although the call had returned by then: not ours to keep.
                raw.close(fd);
                throw timedOut ? new InterruptedByTimeoutException() : new AsynchronousCloseException();
            }
            return fd;
        }

        /** The open(2) that waits for the other side; no release after it returned. */
        private int open() {
            try {
                return raw.open(path, (forWriting ? O_WRONLY : O_RDONLY) | O_CLOEXEC, 0);
            } finally {
                markReturned();
            }
        }

        void timeOut() {
            timedOut = true;
            try {
                close();
            } catch (IOException ignored) {
                // implCloseChannel does not fail
            }
        }

        /** Releases the waiting open: opens the other side for a moment, from the helper thread. */
        @Override
        protected void implCloseChannel() {
            HELPER.execute(this::release);
        }

        /**
         * No release after this; and should one be opening the other side right now, wait until it
         * has closed it again, so that the caller's next open of the FIFO cannot meet that moment.
         */
        private synchronized void markReturned() {
            returned = true;
        }

        private void release() {
            synchronized (this) {
                if (returned) {
                    return;
                }
                if (inOpen) {
                    // Open the other side for a moment: the waiting open(2) returns. Should the open
                    // not have reached the kernel yet, the moment passes unseen: so look again until
                    // it returned.
                    int other = (forWriting ? O_RDONLY : O_WRONLY) | O_NONBLOCK
                            | O_CLOEXEC;
                    int fd = raw.open(path, other, 0);
                    if (fd >= 0) {
                        raw.close(fd);
                    }
                }
            }
            HELPER.schedule(this::release, 2, TimeUnit.MILLISECONDS);
        }
    }
}
