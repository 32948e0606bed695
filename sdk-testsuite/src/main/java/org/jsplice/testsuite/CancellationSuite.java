package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.PartialTransfer;
import org.jsplice.Pipe;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeClosedByInterruptException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every call that waits for the other process ends when its end is closed from another thread,
 * or when its thread is interrupted, with the exception that says which and how many bytes had
 * moved. The bound asserted (a second) is ten times the promise (100 ms), so that a loaded machine
 * cannot fail it; the wake-up itself is immediate (an eventfd in the same poll(2)).
 */
public abstract class CancellationSuite extends ProviderSuite {
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int PIPE = 65536;

    @TempDir
    Path dir;
    private Pipe pipe;
    private Pipe other;
    private NativeBuffer memory;

    @BeforeEach
    void open() throws IOException {
        pipe = Pipes.open();
        other = Pipes.open();
        pipe.sink().capacity(PIPE);
        other.sink().capacity(PIPE);
        memory = Pipes.allocate(4 * PIPE);
        ByteBuffer v = memory.asByteBuffer();
        for (int i = 0; i < v.capacity(); i++) {
            v.put(i, (byte) (i * 7 + (i >> 9)));
        }
    }

    private NativeFile file;

    /** A file of the buffer's bytes, open for reading; closed after the test. */
    NativeFile file() throws IOException {
        byte[] bytes = new byte[4 * PIPE];
        memory.asByteBuffer().get(0, bytes);
        Path f = java.nio.file.Files.write(dir.resolve("bytes"), bytes);
        file = Pipes.openFile(f, java.nio.file.StandardOpenOption.READ);
        return file;
    }

    @AfterEach
    void close() throws IOException {
        if (file != null) {
            file.close();
        }
        pipe.close();
        other.close();
        memory.close();
    }

    interface Call {
        Object run() throws Exception;
    }

    /** The calls that wait, each set up to wait: a full pipe for writes, an empty one for reads. */
    enum Waiting {
        VMSPLICE_FULLY, VMSPLICE, WRITE_FULLY, READ, VMSPLICE_READ_DIRECTION, SPLICE, TEE, SPLICE_INTO_FULL_TARGET,
        SPLICE_FROM_EMPTY_PIPE, SPLICE_FROM_FILE_INTO_FULL_PIPE, TRANSFER_FROM_FILE;

        /** The end whose close must end the call. */
        Channel end(CancellationSuite t) {
            switch (this) {
                case VMSPLICE_FULLY:
                case VMSPLICE:
                case WRITE_FULLY:
                case SPLICE_FROM_EMPTY_PIPE:
                case SPLICE_FROM_FILE_INTO_FULL_PIPE:
                case TRANSFER_FROM_FILE:
                    return t.pipe.sink();
                default:
                    return t.pipe.source();
            }
        }

        Call call(CancellationSuite t) throws IOException {
            PipeSink sink = t.pipe.sink();
            PipeSource source = t.pipe.source();
            List<IoVec> all = List.of(t.memory.slice(0, 4 * PIPE));
            switch (this) {
                case VMSPLICE_FULLY:
                    return () -> sink.vmspliceFully(all);
                case VMSPLICE:
                    sink.vmspliceFully(List.of(t.memory.slice(0, PIPE)));
                    return () -> sink.vmsplice(all);
                case WRITE_FULLY:
                    return () -> sink.writeFully(all);
                case READ:
                    return () -> source.read(ByteBuffer.allocateDirect(100));
                case VMSPLICE_READ_DIRECTION:
                    return () -> source.vmsplice(List.of(t.memory.slice(0, 100)));
                case SPLICE:
                    return () -> source.splice(t.other.sink(), 100);
                case TEE:
                    return () -> source.tee(t.other.sink(), 100);
                case SPLICE_FROM_EMPTY_PIPE:
                    return () -> sink.spliceFrom(((org.jsplice.internal.linux.LinuxPipeEnd) t.other.source()).fd(), 100);
                case SPLICE_FROM_FILE_INTO_FULL_PIPE:
                    sink.vmspliceFully(List.of(t.memory.slice(0, PIPE)));
                    NativeFile file = t.file();
                    return () -> sink.spliceFrom(file, 0, 100);
                case TRANSFER_FROM_FILE:
                    NativeFile whole = t.file();
                    return () -> sink.transferFrom(whole, 0, 4 * PIPE);
                default:
                    t.other.sink().vmspliceFully(List.of(t.memory.slice(0, PIPE)));
                    sink.vmspliceFully(List.of(t.memory.slice(0, 100)));
                    return () -> source.splice(t.other.sink(), 100);
            }
        }
    }

    /** The thread a waiting call runs on: a platform thread here; {@link VirtualThreadCancellationSuite} overrides it. */
    protected Thread newThread(Runnable task) {
        return new Thread(task);
    }

    /** Runs {@code call} on a thread, waits until it is parked in poll, cancels it, returns what it threw. */
    private Throwable cancel(Call call, Runnable cancellation, Thread[] runner) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Object> returned = new AtomicReference<>();
        Thread t = newThread(() -> {
            try {
                returned.set(call.run());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        runner[0] = t;
        t.start();
        waitUntilWaiting(t);
        long start = System.nanoTime();
        cancellation.run();
        t.join(TimeUnit.NANOSECONDS.toMillis(BOUND_NANOS) + 10_000);
        long took = System.nanoTime() - start;
        if (t.isAlive()) {
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement el : t.getStackTrace()) {
                sb.append("\n  at ").append(el);
            }
            throw new AssertionError("the call did not end:" + sb);
        }
        assertTrue(took < BOUND_NANOS, "the call took " + took / 1_000_000 + " ms to end");
        assertEquals(null, returned.get(), "the call returned instead of failing");
        return thrown.get();
    }

    /**
     * Until the thread sits in a waiting call for a while: in poll(2) inside the core, or in a FIFO's
     * open(2) (a native frame on top with JNA; downcall frames with the JDK's linker).
     */
    private static void waitUntilWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int stable = 0; stable < 5; ) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the call never came to wait: " + java.util.Arrays.toString(t.getStackTrace()));
            }
            Thread.sleep(10);
            boolean waiting = false;
            for (StackTraceElement e : t.getStackTrace()) {
                // The core's one waiting seam, or a FIFO's open on its own thread: by package, so
                // that moving a method between the core's classes does not blind this test.
                boolean core = e.getClassName().startsWith("org.jsplice.internal.linux.");
                if (core && (e.getMethodName().equals("await")
                        || e.getClassName().endsWith("Fifos$Opening") && e.getMethodName().startsWith("run"))) {
                    waiting = true;
                    break;
                }
            }
            stable = waiting ? stable + 1 : 0;
        }
    }

    @ParameterizedTest
    @EnumSource(Waiting.class)
    void closeFromAnotherThreadEndsTheCallWithAsynchronousCloseException(Waiting waiting) throws Exception {
        Channel end = waiting.end(this);
        Throwable e = cancel(waiting.call(this), () -> {
            try {
                end.close();
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        }, new Thread[1]);
        assertTrue(e instanceof PipeAsynchronousCloseException, "thrown: " + e);
        assertFalse(end.isOpen());
    }

    @ParameterizedTest
    @EnumSource(Waiting.class)
    void interruptEndsTheCallClosesTheEndAndThrowsClosedByInterruptException(Waiting waiting) throws Exception {
        Channel end = waiting.end(this);
        Thread[] runner = new Thread[1];
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Call call = waiting.call(this);
        Throwable e = cancel(() -> {
            try {
                return call.run();
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        }, () -> runner[0].interrupt(), runner);
        assertTrue(e instanceof PipeClosedByInterruptException, "thrown: " + e);
        assertFalse(end.isOpen(), "an interrupt closes the end, as for the JDK's channels");
        assertTrue(stillInterrupted.get(), "the interrupt status stays set");
    }

    @Test
    void anAlreadyInterruptedThreadClosesTheEndOnItsNextCall() throws Exception {
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> pipe.source().read(ByteBuffer.allocate(1)));
            assertFalse(pipe.source().isOpen());
        } finally {
            Thread.interrupted();
        }
    }

    /** Calls that need not wait: the pipe has room for a write, bytes for a read. */
    enum Ready {
        VMSPLICE_FULLY, VMSPLICE, WRITE_FULLY, READ, SPLICE, TEE, SPLICE_FROM_FILE, TRANSFER_FROM_FILE;

        boolean reads() {
            return this == READ || this == SPLICE || this == TEE;
        }

        Call call(CancellationSuite t) throws IOException {
            PipeSink sink = t.pipe.sink();
            PipeSource source = t.pipe.source();
            List<IoVec> some = List.of(t.memory.slice(0, 100));
            switch (this) {
                case VMSPLICE_FULLY:
                    return () -> sink.vmspliceFully(some);
                case VMSPLICE:
                    return () -> sink.vmsplice(some);
                case WRITE_FULLY:
                    return () -> sink.writeFully(some);
                case READ:
                    return () -> source.read(ByteBuffer.allocateDirect(100));
                case SPLICE:
                    return () -> source.splice(t.other.sink(), 100);
                case TEE:
                    return () -> source.tee(t.other.sink(), 100);
                case SPLICE_FROM_FILE:
                    NativeFile file = t.file();
                    return () -> sink.spliceFrom(file, 0, 100);
                default:
                    NativeFile whole = t.file();
                    return () -> sink.transferFrom(whole, 0, 100);
            }
        }
    }

    /**
     * A call that the kernel could complete at once takes no time to wait, so its interruptible
     * section may begin late; an interrupt that came before the call must still close the end,
     * move nothing and say so, as on every channel.
     */
    @ParameterizedTest
    @EnumSource(Ready.class)
    void anInterruptedThreadsCallThatNeedNotWaitClosesTheEndAndMovesNothing(Ready ready) throws Exception {
        if (ready.reads()) {
            pipe.sink().vmspliceFully(List.of(memory.slice(0, 100)));
        }
        Call call = ready.call(this);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = newThread(() -> {
            Thread.currentThread().interrupt();
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(t.isAlive(), "the call did not end");
        Throwable e = thrown.get();
        assertTrue(e instanceof PipeClosedByInterruptException, "thrown: " + e);
        assertEquals(0, PartialTransfer.of(e), "nothing moved: " + e);
        Channel end = ready.reads() ? pipe.source() : pipe.sink();
        assertFalse(end.isOpen(), "the interrupt closed the end");
        if (ready.reads()) {
            assertEquals(0, other.source().queued(), "nothing reached the other pipe");
        } else {
            assertEquals(0, pipe.source().queued(), "nothing reached the pipe");
        }
    }

    /**
     * A call queued behind another that waits on the same end (for the end's lock, not in poll) is
     * in a wait of its own: its interrupt ends it at once, closing the end, and ends the first
     * call with an asynchronous close.
     */
    @Test
    void aCallQueuedBehindAWaitingCallEndsOnInterrupt() throws Exception {
        List<IoVec> all = List.of(memory.slice(0, 4 * PIPE));
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread waiting = newThread(() -> {
            try {
                pipe.sink().vmspliceFully(all);
            } catch (Throwable e) {
                first.set(e);
            }
        });
        waiting.start();
        waitUntilWaiting(waiting);
        AtomicReference<Throwable> second = new AtomicReference<>();
        Thread queued = newThread(() -> {
            try {
                pipe.sink().vmspliceFully(List.of(memory.slice(0, 100)));
            } catch (Throwable e) {
                second.set(e);
            }
        });
        queued.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (queued.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the second call never queued: " + queued.getState());
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        queued.interrupt();
        queued.join(TimeUnit.NANOSECONDS.toMillis(BOUND_NANOS) + 10_000);
        waiting.join(TimeUnit.NANOSECONDS.toMillis(BOUND_NANOS) + 10_000);
        long took = System.nanoTime() - start;
        assertFalse(queued.isAlive() || waiting.isAlive(), "a call did not end");
        assertTrue(took < BOUND_NANOS, "the calls took " + took / 1_000_000 + " ms to end");
        assertTrue(second.get() instanceof PipeClosedByInterruptException, "queued call threw: " + second.get());
        assertEquals(0, PartialTransfer.of(second.get()));
        assertTrue(first.get() instanceof PipeAsynchronousCloseException, "waiting call threw: " + first.get());
        assertEquals(PIPE, PartialTransfer.of(first.get()), "the pipe took one capacity's worth: " + first.get());
        assertFalse(pipe.sink().isOpen());
    }

    @Test
    void aClosedTransferSaysHowManyBytesReachedThePipe() throws Exception {
        closedByAnotherThreadCountsWhatArrived(() -> pipe.sink().vmspliceFully(List.of(memory.slice(0, 4 * PIPE))));
    }

    @Test
    void aClosedTransferFromAFileSaysHowManyBytesReachedThePipe() throws Exception {
        NativeFile f = file(); // the file holds the buffer's bytes
        closedByAnotherThreadCountsWhatArrived(() -> pipe.sink().transferFrom(f, 0, 4 * PIPE));
    }

    /**
     * Closes the sink while {@code transfer} waits: it throws PipeAsynchronousCloseException saying
     * the pipe took one capacity's worth, and exactly the buffer's first that many bytes arrived.
     */
    private void closedByAnotherThreadCountsWhatArrived(Call transfer) throws Exception {
        Throwable e = cancel(transfer, () -> {
            try {
                pipe.sink().close();
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        }, new Thread[1]);
        assertTrue(e instanceof PipeAsynchronousCloseException, "thrown: " + e);
        long moved = PartialTransfer.of(e);
        assertEquals(PIPE, moved, "the pipe took one capacity's worth before the call waited: " + e);
        ByteBuffer got = ByteBuffer.allocateDirect(4 * PIPE);
        while (pipe.source().read(got) > 0) {
            // to the end: the sink is closed
        }
        got.flip();
        assertEquals(moved, got.remaining());
        byte[] expected = new byte[(int) moved];
        memory.asByteBuffer().get(0, expected);
        byte[] received = new byte[got.remaining()];
        got.get(received);
        assertArrayEquals(expected, received, "exactly the first bytesTransferred bytes arrived");
    }

    @Test
    void aFifoOpenEndsOnInterruptAndOnItsTimeout() throws Exception {
        Path fifo = dir.resolve("fifo");
        Pipes.mkfifo(fifo);
        for (boolean forWriting : new boolean[] {true, false}) {
            Thread[] runner = new Thread[1];
            Throwable e = cancel(() -> forWriting ? Pipes.openFifoSink(fifo) : Pipes.openFifoSource(fifo),
                    () -> runner[0].interrupt(), runner);
            assertTrue(e instanceof ClosedByInterruptException, (forWriting ? "sink: " : "source: ") + e);
            long start = System.nanoTime();
            assertThrows(InterruptedByTimeoutException.class, () -> {
                if (forWriting) {
                    Pipes.openFifoSink(fifo, Duration.ofMillis(200));
                } else {
                    Pipes.openFifoSource(fifo, Duration.ofMillis(200));
                }
            });
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(200) && took < TimeUnit.MILLISECONDS.toNanos(200) + BOUND_NANOS,
                    "the timeout took " + took / 1_000_000 + " ms");
        }
        // With a peer, the timeout does not get in the way.
        CompletableFuture<PipeSource> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Pipes.openFifoSource(fifo, Duration.ofSeconds(30));
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        });
        try (PipeSink sink = Pipes.openFifoSink(fifo, Duration.ofSeconds(30)); PipeSource source = reader.get(30, TimeUnit.SECONDS)) {
            sink.vmspliceFully(List.of(memory.slice(0, 10)));
            ByteBuffer b = ByteBuffer.allocate(10);
            while (b.hasRemaining()) {
                source.read(b);
            }
            assertEquals(memory.asByteBuffer().get(3), b.get(3));
        }
    }

    @Test
    @Timeout(30)
    void aLinkedListOfManySegmentsCostsLinearTime() throws Exception {
        LinkedList<IoVec> segments = new LinkedList<>();
        for (int i = 0; i < 50_000; i++) {
            segments.add(memory.slice(i % 1000, 1));
        }
        try (org.jsplice.testkit.PipeDrain drain = org.jsplice.testkit.PipeDrain.start(pipe.source(), 50_000)) {
            assertEquals(50_000, pipe.sink().vmspliceFully(segments));
            pipe.sink().close();
            assertEquals(50_000, drain.await(Duration.ofSeconds(30)).length);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> pipe.source().splice(other.sink(), 1, (SpliceFlag[]) null));
        assertEquals("flags", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> pipe.source().tee(other.sink(), 1, SpliceFlag.MORE, null));
        assertEquals("flags[1] is null", e.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> IoVec.of(memory.address(), Long.MAX_VALUE));
        assertTrue(tooLong.getMessage().contains("beyond any user address space"), tooLong.getMessage());
        IoVec forged = new IoVec() {
            @Override
            public long address() {
                return memory.address();
            }

            @Override
            public long length() {
                return Long.MAX_VALUE;
            }
        };
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pipe.sink().vmsplice(List.of(forged)));
        assertTrue(refused.getMessage().contains("segments[0] is no user memory"), refused.getMessage());
    }
}
