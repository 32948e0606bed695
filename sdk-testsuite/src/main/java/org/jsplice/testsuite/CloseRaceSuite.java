package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} racing with calls on other threads: a call either completes on the open
 * descriptor or throws {@link ClosedChannelException}; never a system call on the old number,
 * which the next {@code pipe2} may already have given to another pipe.
 */
public abstract class CloseRaceSuite extends ProviderSuite {

    @Test
    void callsRacingCloseNeverTouchADescriptorNumberReusedByANewPipe() throws Exception {
        try (NativeBuffer memory = Pipes.allocate(4096)) {
            List<IoVec> page = List.of(memory.slice(0, 4096));
            for (int round = 0; round < 300; round++) {
                Pipe victim = Pipes.open();
                AtomicReference<Throwable> unexpected = new AtomicReference<>();
                AtomicLong calls = new AtomicLong();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    Thread t = new Thread(() -> hammer(victim.sink(), page, calls, unexpected));
                    t.start();
                    writers.add(t);
                }
                while (calls.get() < 10) {
                    Thread.onSpinWait();
                }
                Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
                victim.sink().close();
                // These take the lowest free numbers, so the sink's old number among them.
                List<Pipe> fresh = List.of(Pipes.open(), Pipes.open());
                for (Thread t : writers) {
                    t.join();
                }
                assertNull(unexpected.get(), () -> "round " + unexpected.get());
                for (Pipe p : fresh) {
                    assertEquals(0, p.sink().queued(), "bytes reached a pipe opened after close()");
                    p.close();
                }
                victim.close();
            }
        }
    }

    private static void hammer(PipeSink sink, List<IoVec> page, AtomicLong calls, AtomicReference<Throwable> unexpected) {
        try {
            for (;;) {
                sink.vmsplice(page, SpliceFlag.NONBLOCK);
                sink.queued();
                calls.incrementAndGet();
            }
        } catch (ClosedChannelException expected) {
            // the only way out
        } catch (Throwable t) {
            unexpected.compareAndSet(null, t);
        }
    }

    @Test
    void closeDuringAWaitingCallEndsItAndClosesTheDescriptorWhenItReturns() throws Exception {
        try (NativeBuffer memory = Pipes.allocate(1 << 20); Pipe pipe = Pipes.open()) {
            PipeSink sink = pipe.sink();
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    outcome.set(sink.vmspliceFully(List.of(memory.slice(0, 1 << 20))));
                } catch (Exception e) {
                    outcome.set(e);
                }
            });
            writer.start();
            while (sink.queued() < sink.capacity()) {
                Thread.sleep(1);
            }
            sink.close();
            assertTrue(!sink.isOpen());
            // The writer waits in poll(2) on a full pipe, with the end's eventfd: close() ends the
            // wait without any reader. The pipe reaches end of stream only once the call in flight
            // has returned and released the descriptor.
            writer.join(10_000);
            assertTrue(!writer.isAlive(), "close() alone ends the waiting call");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            long read = 0;
            int n;
            while ((n = pipe.source().read(buf)) >= 0) {
                read += n;
                buf.clear();
            }
            writer.join();
            assertTrue(outcome.get() instanceof AsynchronousCloseException, "outcome=" + outcome.get());
            assertEquals(read, org.jsplice.PartialTransfer.of((Throwable) outcome.get()),
                    "the exception counts exactly the bytes the reader got");
        }
    }
}
