package org.jsplice.testsuite;

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
import org.jsplice.PipeWriterBuilder;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;

/**
 * The writer's promise: the consumer sees exactly what was committed, under each policy with the
 * consumer that policy is for, even when the consumer lags. And a negative control: a ring smaller
 * than the rule allows does corrupt the stream, and these checks see it.
 */
public abstract class PipeWriterPropertiesSuite extends ProviderSuite {

    /** Each way a writer can run here: the default, each SAFE mode forced, and RECYCLE. */
    enum Config {
        SAFE_DEFAULT, SAFE_FRESH_PAGES, SAFE_FRESH_HUGE_PAGES, SAFE_COPY, RECYCLE;

        PipeWriterBuilder apply(PipeWriterBuilder b) {
            switch (this) {
                case SAFE_FRESH_PAGES: return b.mode(PipeWriter.Mode.FRESH_PAGES).hugePages(false);
                case SAFE_FRESH_HUGE_PAGES: return b.mode(PipeWriter.Mode.FRESH_PAGES).hugePages(true);
                case SAFE_COPY: return b.mode(PipeWriter.Mode.COPY);
                case RECYCLE: return b.policy(Policy.RECYCLE);
                default: return b;
            }
        }

        boolean safe() {
            return this != RECYCLE;
        }
    }

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

    /** Any writer, consumer reading (and lagging): it receives exactly what was committed. */
    @Property(tries = 150)
    void everyConfigWithALaggingReadingConsumerDeliversEveryCommittedByte(@ForAll Config config,
            @ForAll("commits") List<Integer> commits,
            @ForAll @IntRange(min = 1, max = 16) int regionPages, @ForAll @IntRange(min = 1, max = 64) int pipePages)
            throws Exception {
        try (Pipe pipe = Pipes.open()) {
            LaggingReader reader = new LaggingReader(pipe.source(), 16 << 20);
            reader.start();
            long total;
            try (PipeWriter writer = config.apply(PipeWriter.builder(pipe.sink())).regionSize(regionPages * 4096L)
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
     * SAFE in each mode, consumer splicing every chunk onward into a second pipe that is read only
     * after the writer is done: the pages in the second pipe still carry what was committed.
     */
    @Property(tries = 100)
    void safeWithAConsumerThatSplicesOnwardDeliversEveryCommittedByte(@ForAll Config config,
            @ForAll("commits") List<Integer> commits, @ForAll @IntRange(min = 1, max = 16) int regionPages) throws Exception {
        net.jqwik.api.Assume.that(config.safe());
        Object[] outcome = spliceOnward(config, commits, regionPages);
        if ((long) outcome[0] >= 0) {
            throw new AssertionError("byte " + outcome[0] + " of " + outcome[1] + " is wrong");
        }
    }

    /** Writer → pipe A → (splice) → pipe B, read only at the end; returns {first wrong byte, total}. */
    static Object[] spliceOnward(Config config, List<Integer> commits, int regionPages) throws Exception {
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
            try (PipeWriter writer = config.apply(PipeWriter.builder(a.sink())).regionSize(regionPages * 4096L)
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

    /**
     * Negative control: a ring reused while its bytes still sit in the pipe (8 KiB under a 64 KiB
     * pipe, read only after the writer is done) corrupts the stream, and these checks see it. RECYCLE
     * with the smallest ring it allows, under a lagging reader, is clean: it asks the pipe first.
     */
    @Example
    void aRingReusedBeforeThePipeIsEmptyCorruptsAndTheCheckSeesItWhileRecycleWaits() throws Exception {
        try (Pipe pipe = Pipes.open(); org.jsplice.NativeBuffer ring = Pipes.allocate(8192)) {
            pipe.sink().capacity(65536);
            ByteBuffer view = ring.asByteBuffer();
            for (int k = 0; k < 15; k++) {
                int slot = (k % 2) * 4096;
                for (int i = 0; i < 4096; i++) {
                    view.put(slot + i, streamByte(k * 4096L + i));
                }
                pipe.sink().vmspliceFully(List.of(ring.slice(slot, 4096)));
            }
            pipe.sink().close();
            LaggingReader reader = new LaggingReader(pipe.source(), 1 << 20);
            reader.run();
            if (firstWrong(reader.received, 15 * 4096) < 0) {
                throw new AssertionError("the reused ring went unnoticed: the checks could not fail");
            }
        }
        try (Pipe pipe = Pipes.open()) {
            LaggingReader reader = new LaggingReader(pipe.source(), 1 << 20);
            reader.start();
            long total;
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).policy(Policy.RECYCLE).regionSize(4096)
                    .pipeCapacity(65536).ringSize(1).build()) {
                total = writeCommits(writer, java.util.Collections.nCopies(200, 4096));
            }
            pipe.sink().close();
            reader.join(60_000);
            if (firstWrong(reader.received, total) >= 0) {
                throw new AssertionError("RECYCLE with a 4-region ring corrupted the stream");
            }
        }
    }

    /** Negative control for SAFE's reason to exist: RECYCLE under a consumer that splices onward corrupts. */
    @Example
    void recycleUnderAConsumerThatSplicesOnwardCorruptsAndTheCheckSeesIt() throws Exception {
        Object[] outcome = spliceOnward(Config.RECYCLE, java.util.Collections.nCopies(32, Integer.MAX_VALUE), 4);
        if ((long) outcome[0] < 0) {
            throw new AssertionError("recycled pages spliced onward went unnoticed");
        }
    }

    /** Heap data through write(byte[]), write(ByteBuffer) and the OutputStream adapter arrives intact. */
    @Property(tries = 100)
    void heapWritesAndTheStreamAdapterDeliverEveryByte(@ForAll("commits") List<Integer> pieces,
            @ForAll Config config) throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 64 << 20)) {
            long offset = 0;
            try (PipeWriter writer = config.apply(PipeWriter.builder(pipe.sink())).regionSize(16384).build()) {
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

    enum Op { COMMIT, ABORT, WRITE, CLOSE_REGION }

    @Provide
    Arbitrary<List<List<net.jqwik.api.Tuple.Tuple2<Op, Integer>>>> scripts() {
        Arbitrary<net.jqwik.api.Tuple.Tuple2<Op, Integer>> op = net.jqwik.api.Combinators.combine(
                Arbitraries.of(Op.class), Arbitraries.integers().between(0, 3 * 16384)).as(net.jqwik.api.Tuple::of);
        return op.list().ofMinSize(0).ofMaxSize(60).list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * Any mix of claims, commits, aborts (also by closing a region) and records written through
     * {@code write} (up to three regions long), from several threads at once, arrives whole: each
     * record is contiguous, each thread's records in its order, none lost, nothing aborted sent.
     */
    @Property(tries = 40)
    void anyMixOfClaimsCommitsAbortsAndWritesFromSeveralThreadsArrivesWhole(@ForAll Config config,
            @ForAll("scripts") List<List<net.jqwik.api.Tuple.Tuple2<Op, Integer>>> scripts) throws Exception {
        int region = 16384;
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 64 << 20)) {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            int[] sent = new int[scripts.size()];
            try (PipeWriter writer = config.apply(PipeWriter.builder(pipe.sink())).regionSize(region).build()) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < scripts.size(); t++) {
                    int id = t;
                    List<net.jqwik.api.Tuple.Tuple2<Op, Integer>> script = scripts.get(t);
                    threads.add(new Thread(() -> {
                        try {
                            for (net.jqwik.api.Tuple.Tuple2<Op, Integer> step : script) {
                                int body = step.get2();
                                switch (step.get1()) {
                                    case WRITE:
                                        writer.write(record(id, sent[id]++, body));
                                        break;
                                    case COMMIT: {
                                        ByteBuffer rec = record(id, sent[id], Math.min(body, region - 12));
                                        PipeWriter.Region r = writer.claim();
                                        int n = rec.remaining();
                                        r.buffer().put(rec);
                                        writer.commit(r, n);
                                        sent[id]++;
                                        break;
                                    }
                                    case ABORT: {
                                        PipeWriter.Region r = writer.claim();
                                        r.buffer().put(record(id, -1, Math.min(body, region - 12)));
                                        writer.abort(r);
                                        break;
                                    }
                                    default:
                                        try (PipeWriter.Region r = writer.claim()) {
                                            r.buffer().put(record(id, -1, Math.min(body, region - 12)));
                                        }
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            pipe.sink().close();
            ByteBuffer got = ByteBuffer.wrap(drain.await(Duration.ofSeconds(60)));
            int[] seen = new int[scripts.size()];
            while (got.hasRemaining()) {
                int body = got.getInt();
                int id = got.getInt();
                int seq = got.getInt();
                if (id < 0 || id >= seen.length || seq != seen[id]) {
                    throw new AssertionError("record out of order or aborted bytes sent: thread " + id + " seq " + seq
                            + " at offset " + (got.position() - 12));
                }
                seen[id]++;
                for (int i = 0; i < body; i++) {
                    if (got.get() != (byte) (id * 31 + seq)) {
                        throw new AssertionError("record " + seq + " of thread " + id + " interleaved at byte " + i);
                    }
                }
            }
            if (!java.util.Arrays.equals(seen, sent)) {
                throw new AssertionError("records lost: sent " + java.util.Arrays.toString(sent) + " received "
                        + java.util.Arrays.toString(seen));
            }
        }
    }

    /** length, thread, sequence, then {@code body} bytes of the record's own value. */
    static ByteBuffer record(int id, int seq, int body) {
        ByteBuffer rec = ByteBuffer.allocate(12 + body);
        rec.putInt(body).putInt(id).putInt(seq);
        while (rec.hasRemaining()) {
            rec.put((byte) (id * 31 + seq));
        }
        return rec.flip();
    }
}
