package org.jsplice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jsplice.PipeSource;

/**
 * A reader on its own thread that drains a pipe to end of stream and keeps every byte, so that a
 * test can write on its own thread and then compare what arrived.
 *
 * <p>The drain reads; it does not close the source (the test owns it). Its methods are
 * thread-safe. A drain that is still running when {@link #close()} is called is interrupted and
 * abandoned; its source should be closed by the test.
 */
public final class PipeDrain implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final PipeSource source;
    private final long limit;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile Throwable failure;

    private PipeDrain(PipeSource source, long limit, String name) {
        this.source = source;
        this.limit = limit;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts draining {@code source}.
     *
     * @param source the read end to drain
     * @param limit the most bytes to keep; more than that fails the drain, so that a runaway writer
     *     cannot exhaust the heap
     * @return the running drain
     */
    public static PipeDrain start(PipeSource source, long limit) {
        if (limit < 0 || limit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limit out of range: limit=" + limit + " max=" + (Integer.MAX_VALUE - 8));
        }
        PipeDrain drain = new PipeDrain(source, limit, "jsplice-drain-" + source);
        drain.thread.start();
        return drain;
    }

    private void run() {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        byte[] copy = new byte[CHUNK];
        try {
            for (;;) {
                chunk.clear();
                int n = source.read(chunk);
                if (n < 0) {
                    return;
                }
                synchronized (received) {
                    if (received.size() + (long) n > limit) {
                        throw new IOException("more than limit=" + limit + " bytes arrived");
                    }
                    chunk.flip().get(copy, 0, n);
                    received.write(copy, 0, n);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * The bytes received so far.
     *
     * @return the bytes
     */
    public long received() {
        synchronized (received) {
            return received.size();
        }
    }

    /**
     * Waits for end of stream and returns every byte that arrived, in order.
     *
     * @param timeout the longest wait
     * @return the bytes
     * @throws InterruptedException if this thread is interrupted while it waits
     * @throws IOException if reading failed (with the failure as cause)
     * @throws TimeoutException if the stream did not end in time
     */
    public byte[] await(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()) + 1);
        if (thread.isAlive()) {
            throw new TimeoutException("the pipe did not reach end of stream within " + timeout + "; received "
                    + received() + " bytes");
        }
        if (failure != null) {
            throw new IOException("draining failed after " + received() + " bytes: " + failure, failure);
        }
        synchronized (received) {
            return received.toByteArray();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
