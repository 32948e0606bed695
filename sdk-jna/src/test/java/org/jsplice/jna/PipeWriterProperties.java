package org.jsplice.jna;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.Pipe;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;

/**
 * The writer's promise: the consumer sees exactly what was committed, under each policy with the
 * consumer that policy is for, even when the consumer lags. And a negative control: a ring smaller
 * than the rule allows does corrupt the stream, and these checks see it.
 */
class PipeWriterProperties {

    /** The byte at stream offset {@code o}: distinct enough that a stale or shifted byte shows. */
    static byte streamByte(long o) {
        return (byte) (o * 31 + (o >>> 8) + (o >>> 16));
    }

    /** Commits {@code lengths} (each at most the region size) of the stream pattern through claim and commit. */
    static long writeCommits(PipeWriter writer, List<Integer> lengths) throws IOException {
        long offset = 0;
        for (int len : lengths) {
            PipeWriter.Region r = writer.claim();
            int n = Math.min(len, r.capacity());
            ByteBuffer buf = r.buffer();
            for (int i = 0; i < n; i++) {
                buf.put(i, streamByte(offset + i));
            }
            writer.commit(r, n);
            offset += n;
        }
        return offset;
    }

    /** Reads to end of stream in small bites with pauses, so that it lags behind the writer. */
    static final class LaggingReader extends Thread {
        private final PipeSource source;
        final ByteBuffer received;
        volatile Throwable failure;

        LaggingReader(PipeSource source, int limit) {
            this.source = source;
            this.received = ByteBuffer.allocate(limit);
            setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer bite = ByteBuffer.allocateDirect(3000);
            try {
                for (int i = 0; ; i++) {
                    bite.clear();
                    int n = source.read(bite);
                    if (n < 0) {
                        return;
                    }
                    bite.flip();
                    received.put(bite);
                    if (i % 7 == 0) {
                        LockSupport.parkNanos(50_000);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    /** The offset of the first byte that differs from the stream, or -1. */
    static long firstWrong(ByteBuffer got, long expectedLength) {
        if (got.position() != expectedLength) {
            return Math.min(got.position(), expectedLength);
        }
        for (int i = 0; i < got.position(); i++) {
            if (got.get(i) != streamByte(i)) {
                return i;
            }
        }
        return -1;
    }

    @Provide
    Arbitrary<List<Integer>> commits() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 100)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 70_000)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Integer.MAX_VALUE)))
                .list().ofMinSize(1).ofMaxSize(120);
    }

    /** RECYCLE, consumer reading (and lagging): it receives exactly what was committed. */
    @Property(tries = 150)
    void recycleWithAReadingConsumerDeliversEveryCommittedByte(@ForAll("commits") List<Integer> commits,
            @ForAll @IntRange(min = 1, max = 16) int regionPages, @ForAll @IntRange(min = 1, max = 64) int pipePages)
            throws Exception {
        try (Pipe pipe = Pipes.open()) {
            LaggingReader reader = new LaggingReader(pipe.source(), 16 << 20);
            reader.start();
            long total;
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).regionSize(regionPages * 4096L)
                    .pipeCapacity(pipePages * 4096).build()) {
                total = writeCommits(writer, commits);
            }
            pipe.sink().close();
            reader.join(60_000);
            if (reader.failure != null) {
                throw new AssertionError(reader.failure);
            }
            long wrong = firstWrong(reader.received, total);
            if (wrong >= 0) {
                throw new AssertionError("byte " + wrong + " of " + total + " is wrong");
            }
        }
    }

    /**
     * FRESH, consumer splicing every chunk onward into a second pipe that is read only after the
     * writer is done: the pages in the second pipe still carry what was committed.
     */
    @Property(tries = 100)
    void freshWithAConsumerThatSplicesOnwardDeliversEveryCommittedByte(@ForAll("commits") List<Integer> commits,
            @ForAll @IntRange(min = 1, max = 16) int regionPages) throws Exception {
        Object[] outcome = spliceOnward(Policy.FRESH, commits, regionPages);
        if ((long) outcome[0] >= 0) {
            throw new AssertionError("byte " + outcome[0] + " of " + outcome[1] + " is wrong");
        }
    }

    /** Writer → pipe A → (splice) → pipe B, read only at the end; returns {first wrong byte, total}. */
    static Object[] spliceOnward(Policy policy, List<Integer> commits, int regionPages) throws Exception {
        try (Pipe a = Pipes.open(); Pipe b = Pipes.open()) {
            b.sink().capacity(1 << 20);
            long[] moved = new long[1];
            Thread mover = new Thread(() -> {
                try {
                    long r;
                    while ((r = a.source().splice(b.sink(), 1 << 20)) >= 0) {
                        moved[0] += r;
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            mover.start();
            long total;
            List<Integer> bounded = new ArrayList<>();
            long budget = 512 << 10; // everything must fit in pipe B (1 MiB), which nobody reads until the end
            for (int c : commits) {
                int n = (int) Math.min(Math.min(c, regionPages * 4096L), budget);
                bounded.add(n);
                budget -= n;
            }
            try (PipeWriter writer = PipeWriter.builder(a.sink()).policy(policy).regionSize(regionPages * 4096L)
                    .pipeCapacity(16 * 4096).build()) {
                total = writeCommits(writer, bounded);
            }
            a.sink().close();
            mover.join(60_000);
            if (mover.isAlive()) {
                throw new AssertionError("the splicing consumer did not finish");
            }
            b.sink().close();
            ByteBuffer got = ByteBuffer.allocate((int) total + 1);
            ByteBuffer bite = ByteBuffer.allocateDirect(1 << 16);
            int n;
            while ((n = b.source().read(bite)) >= 0) {
                bite.flip();
                if (got.remaining() < n) {
                    return new Object[] {total, total};
                }
                got.put(bite);
                bite.clear();
            }
            return new Object[] {firstWrong(got, total), total};
        }
    }

    /** Negative control: a ring smaller than the rule, a consumer that reads late: the checks see corruption. */
    @Example
    void aRingSmallerThanTheRuleCorruptsALaggingReadingConsumerAndTheCheckSeesIt() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            long total;
            // 64 KiB pipe, 4 KiB regions, an 8 KiB ring: 60 KiB fit in the pipe before anyone reads.
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).regionSize(4096).pipeCapacity(65536)
                    .unsafeRingSize(8192).build()) {
                total = writeCommits(writer, java.util.Collections.nCopies(15, 4096));
            }
            pipe.sink().close();
            LaggingReader reader = new LaggingReader(pipe.source(), 1 << 20);
            reader.run();
            long wrong = firstWrong(reader.received, total);
            if (wrong < 0) {
                throw new AssertionError("the undersized ring went unnoticed: the checks could not fail");
            }
        }
        // The same transfer with the rule's ring is clean.
        try (Pipe pipe = Pipes.open()) {
            long total;
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).regionSize(4096).pipeCapacity(65536).build()) {
                total = writeCommits(writer, java.util.Collections.nCopies(15, 4096));
            }
            pipe.sink().close();
            LaggingReader reader = new LaggingReader(pipe.source(), 1 << 20);
            reader.run();
            if (firstWrong(reader.received, total) >= 0) {
                throw new AssertionError("the rule's ring corrupted the stream");
            }
        }
    }

    /** Negative control for FRESH's reason to exist: RECYCLE under a consumer that splices onward corrupts. */
    @Example
    void recycleUnderAConsumerThatSplicesOnwardCorruptsAndTheCheckSeesIt() throws Exception {
        Object[] outcome = spliceOnward(Policy.RECYCLE, java.util.Collections.nCopies(32, Integer.MAX_VALUE), 4);
        if ((long) outcome[0] < 0) {
            throw new AssertionError("recycled pages spliced onward went unnoticed");
        }
    }

    /** Heap data through write(byte[]), write(ByteBuffer) and the OutputStream adapter arrives intact. */
    @Property(tries = 100)
    void heapWritesAndTheStreamAdapterDeliverEveryByte(@ForAll("commits") List<Integer> pieces,
            @ForAll Policy policy) throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 64 << 20)) {
            long offset = 0;
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).policy(policy).regionSize(16384).build()) {
                OutputStream out = writer.asOutputStream();
                for (int i = 0; i < pieces.size(); i++) {
                    int n = Math.min(pieces.get(i), 50_000);
                    byte[] data = new byte[n];
                    for (int j = 0; j < n; j++) {
                        data[j] = streamByte(offset + j);
                    }
                    switch (i % 4) {
                        case 0: writer.write(data, 0, n); break;
                        case 1: writer.write(ByteBuffer.wrap(data)); break;
                        case 2: out.write(data); out.flush(); break;
                        default:
                            for (byte x : data) {
                                out.write(x);
                            }
                            out.flush();
                    }
                    offset += n;
                }
                out.write(new byte[] {streamByte(offset)});
                offset++;
            } // close flushes the stream adapter's last byte
            pipe.sink().close();
            byte[] got = drain.await(Duration.ofSeconds(60));
            long wrong = firstWrong(ByteBuffer.wrap(got).position(got.length), offset);
            if (wrong >= 0) {
                throw new AssertionError("byte " + wrong + " of " + offset + " is wrong (received " + got.length + ")");
            }
        }
    }
}
