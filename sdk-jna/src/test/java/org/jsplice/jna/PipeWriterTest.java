package org.jsplice.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jsplice.Pipe;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The writer's threads, closing and sizing. */
class PipeWriterTest {

    @ParameterizedTest
    @EnumSource(Policy.class)
    void concurrentWritersNeverInterleaveWithinARecord(Policy policy) throws Exception {
        int threads = 4;
        int records = 300;
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 64 << 20)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).policy(policy).regionSize(64 << 10).build()) {
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    Thread w = new Thread(() -> {
                        try {
                            for (int seq = 0; seq < records; seq++) {
                                // A record: length, thread, sequence, then a body of the thread's byte.
                                int body = 1 + (seq * 7919 + id * 31) % 60_000;
                                ByteBuffer rec = ByteBuffer.allocate(12 + body);
                                rec.putInt(body).putInt(id).putInt(seq);
                                while (rec.hasRemaining()) {
                                    rec.put((byte) id);
                                }
                                writer.write(rec.array(), 0, rec.capacity());
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    w.start();
                    workers.add(w);
                }
                for (Thread w : workers) {
                    w.join();
                }
            }
            assertEquals(null, failure.get());
            pipe.sink().close();
            ByteBuffer got = ByteBuffer.wrap(drain.await(Duration.ofSeconds(60)));
            int[] nextSeq = new int[threads];
            while (got.hasRemaining()) {
                int body = got.getInt();
                int id = got.getInt();
                int seq = got.getInt();
                assertEquals(nextSeq[id]++, seq, "records of one thread arrive in order, none lost");
                for (int i = 0; i < body; i++) {
                    assertEquals((byte) id, got.get(), "a record is never interleaved with another");
                }
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(records, nextSeq[t]);
            }
        }
    }

    @Test
    void closeCommitsTheStreamAdaptersBytesAndLeavesTheSinkOpen() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            PipeWriter writer = PipeWriter.builder(pipe.sink()).build();
            OutputStream out = writer.asOutputStream();
            out.write(new byte[] {1, 2, 3});
            assertEquals(0, pipe.sink().queued(), "buffered in the region until flushed");
            writer.close();
            assertEquals(3, pipe.sink().queued());
            assertTrue(pipe.sink().isOpen(), "the sink stays the caller's");
            assertThrows(IllegalStateException.class, writer::claim);
            writer.close();
        }
    }

    @Test
    void aClaimBelongsToItsThreadUntilCommittedOrAborted() throws Exception {
        try (Pipe pipe = Pipes.open(); PipeWriter writer = PipeWriter.builder(pipe.sink()).build()) {
            PipeWriter.Region r = writer.claim();
            assertThrows(IllegalStateException.class, writer::claim, "one claim at a time per thread");
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    writer.commit(r, 1);
                } catch (Throwable e) {
                    other.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(other.get() instanceof IllegalStateException, "another thread cannot commit it: " + other.get());
            assertThrows(IndexOutOfBoundsException.class, () -> writer.commit(r, writer.regionSize() + 1));
            writer.abort(r);
            assertEquals(0, pipe.sink().queued());
            PipeWriter.Region again = writer.claim();
            again.buffer().put(0, (byte) 9);
            writer.commit(again, 1);
            assertEquals(1, writer.committed());
        }
    }

    @Test
    void theRingFollowsTheCapacityTheKernelGrants() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            try (PipeWriter writer = PipeWriter.builder(pipe.sink()).pipeCapacity(300_000).regionSize(100_000).build()) {
                assertEquals(524288, writer.pipeCapacity(), "rounded up to a power-of-two number of pages");
                assertEquals(524288, pipe.sink().capacity());
                assertEquals(98304, writer.regionSize(), "whole pages");
                assertEquals(2 * 524288, writer.ringSize(), "2 x capacity by default");
            }
            try (PipeWriter small = PipeWriter.builder(pipe.sink()).pipeCapacity(65536).regionSize(64 << 10)
                    .ringSize(1).build()) {
                assertEquals(65536 + 2 * 65536, small.ringSize(), "never below capacity + two regions");
            }
            // Above the system's limit the kernel refuses without privilege; the writer keeps what there is.
            int max = Integer.parseInt(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/fs/pipe-max-size")).get(0).trim());
            try (PipeWriter big = PipeWriter.builder(pipe.sink()).pipeCapacity(max * 4).build()) {
                assertTrue(big.pipeCapacity() == pipe.sink().capacity(), "works with what it got: " + big.pipeCapacity());
            }
        }
    }

    @Test
    void hugePagesAreUsedWhereTheKernelAgreesAndTheDataArrives() throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 16 << 20);
                PipeWriter writer = PipeWriter.builder(pipe.sink()).hugePages(true).build()) {
            byte[] data = new byte[10 << 20];
            new java.util.Random(1).nextBytes(data);
            writer.write(data, 0, data.length);
            writer.close();
            pipe.sink().close();
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, drain.await(Duration.ofSeconds(60)));
        }
    }
}
