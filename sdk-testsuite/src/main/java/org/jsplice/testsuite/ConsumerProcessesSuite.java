package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeSink;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterBuilder;
import org.jsplice.PipeWriter.Mode;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer under consumers nobody here controls, as real processes: one that splices its input
 * onward into a 1 MiB pipe it reads slowly, one that grows its pipe after the writer started, one
 * that pauses for seconds, and {@code pv}, which splices by default. The child's output is checked
 * against the stream pattern of {@code pipebench.c}; the negative controls show the check sees a
 * writer that reuses memory too early.
 */
public abstract class ConsumerProcessesSuite extends ProviderSuite {
    private static final long KEY = 0x5DEECE66DA3B1F27L;
    private static final long TOTAL = 32L << 20;
    private static final int CHUNK = 64 << 10;

    @TempDir
    static Path dir;

    @BeforeAll
    static void consumers() throws IOException {
        for (String name : List.of("onward.py", "grower.py", "paused.py")) {
            try (InputStream in = ConsumerProcessesSuite.class.getResourceAsStream("/consumers/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
    }

    /** What the consumer received: bytes, and the 4 KiB pages that differ from the pattern. */
    static final class Outcome {
        long bytes;
        long wrongPages = 0;
        long firstWrong = -1;

        boolean clean() {
            return bytes == TOTAL && wrongPages == 0;
        }

        @Override
        public String toString() {
            return "received " + bytes + " of " + TOTAL + " bytes, " + wrongPages + " of " + TOTAL / 4096
                    + " pages wrong, the first at offset " + firstWrong;
        }
    }

    interface Producer {
        void write(PipeSink sink) throws IOException;
    }

    /** Starts {@code command} with a FIFO as standard input, feeds it, checks its standard output. */
    static Outcome run(Producer producer, String... command) throws Exception {
        Path fifo = dir.resolve("fifo-" + System.nanoTime());
        Pipes.mkfifo(fifo);
        CompletableFuture<PipeSink> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return Pipes.openFifoSink(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Process child = new ProcessBuilder(command).redirectInput(fifo.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<Outcome> checking = CompletableFuture.supplyAsync(() -> {
            try {
                return check(child.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (PipeSink sink = opening.get(60, TimeUnit.SECONDS)) {
            producer.write(sink);
        }
        Outcome outcome = checking.get(120, TimeUnit.SECONDS);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), String.join(" ", command) + " failed");
        Files.delete(fifo);
        return outcome;
    }

    static Outcome check(InputStream in) throws IOException {
        Outcome o = new Outcome();
        ByteBuffer page = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        byte[] chunk = new byte[1 << 16];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (int i = 0; i < n; ) {
                int take = Math.min(n - i, page.remaining());
                page.put(chunk, i, take);
                i += take;
                if (!page.hasRemaining()) {
                    checkPage(o, page);
                }
            }
        }
        if (page.position() > 0) {
            checkPage(o, page);
        }
        return o;
    }

    private static void checkPage(Outcome o, ByteBuffer page) {
        long base = o.bytes;
        boolean wrong = false;
        for (int j = 0; j + 8 <= page.position(); j += 8) {
            wrong |= page.getLong(j) != ((base + j) ^ KEY);
        }
        if (wrong) {
            if (o.wrongPages++ == 0) {
                o.firstWrong = base;
            }
        }
        o.bytes += page.position();
        page.clear();
    }

    static void fill(ByteBuffer b, int length, long offset) {
        for (int i = 0; i < length; i += 8) {
            b.putLong(i, (offset + i) ^ KEY);
        }
    }

    /** The stream through a {@link PipeWriter}, every byte written into its region before the commit. */
    static Producer writer(Policy policy, Mode mode, int pipeCapacity) {
        return sink -> {
            PipeWriterBuilder b = PipeWriter.builder(sink).policy(policy).regionSize(CHUNK).pipeCapacity(pipeCapacity);
            if (mode != null) {
                b.mode(mode).hugePages(mode != Mode.FRESH_PAGES);
            }
            try (PipeWriter w = b.build()) {
                for (long off = 0; off < TOTAL; off += CHUNK) {
                    PipeWriter.Region r = w.claim();
                    fill(r.buffer(), CHUNK, off);
                    w.commit(r, CHUNK);
                }
            }
        };
    }

    /**
     * The discipline RECYCLE had before it asked the pipe: a ring of twice the capacity seen at the
     * start, reused on the assumption that the pipe never holds more than that capacity.
     */
    static Producer capacityTrustingRing(int pipeCapacity) {
        return sink -> {
            int capacity = sink.capacity(pipeCapacity);
            try (NativeBuffer ring = Pipes.allocate(2L * capacity)) {
                ByteBuffer view = ring.asByteBuffer();
                long pos = 0;
                for (long off = 0; off < TOTAL; off += CHUNK, pos = (pos + CHUNK) % ring.size()) {
                    fill(view.slice((int) pos, CHUNK).order(ByteOrder.nativeOrder()), CHUNK, off);
                    sink.vmspliceFully(List.of(ring.slice(pos, CHUNK)));
                }
            }
        };
    }

    static String[] python(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", dir.resolve(script).toString()));
        cmd.addAll(List.of(args));
        return cmd.toArray(new String[0]);
    }

    static boolean installed(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDefaultIsCleanUnderAConsumerThatSplicesOnward() throws Exception {
        Outcome o = run(writer(Policy.SAFE, null, 1 << 20), python("onward.py"));
        assertTrue(o.clean(), o::toString);
    }

    @Test
    void eachSafeModeIsCleanUnderAConsumerThatSplicesOnward() throws Exception {
        for (Mode mode : List.of(Mode.FRESH_PAGES, Mode.COPY)) {
            Outcome o = run(writer(Policy.SAFE, mode, 1 << 20), python("onward.py"));
            assertTrue(o.clean(), () -> mode + ": " + o);
        }
    }

    @Test
    void theDefaultAndRecycleAreCleanUnderAConsumerThatGrowsThePipe() throws Exception {
        for (Policy policy : Policy.values()) {
            Outcome o = run(writer(policy, null, 64 << 10), python("grower.py"));
            assertTrue(o.clean(), () -> policy + ": " + o);
        }
    }

    @Test
    void theDefaultAndRecycleAreCleanUnderAConsumerThatPauses() throws Exception {
        for (Policy policy : Policy.values()) {
            Outcome o = run(writer(policy, null, 1 << 20), python("paused.py", "2"));
            assertTrue(o.clean(), () -> policy + ": " + o);
        }
    }

    @Test
    void theDefaultIsCleanThroughPvIntoASlowReaderWithAOneMebibytePipe() throws Exception {
        Assumptions.assumeTrue(installed("pv"), "pv is not installed (apt-get install pv): skipped");
        String reader = String.join(" ", python("grower.py"));
        Outcome o = run(writer(Policy.SAFE, null, 1 << 20), "sh", "-c", "pv -q | " + reader);
        assertTrue(o.clean(), o::toString);
    }

    /** Negative control: the checks above can fail. RECYCLE's assumption (a copying consumer) broken. */
    @Test
    void recycleUnderAConsumerThatSplicesOnwardCorruptsAndTheCheckSeesIt() throws Exception {
        Outcome o = run(writer(Policy.RECYCLE, null, 1 << 20), python("onward.py"));
        assertEquals(TOTAL, o.bytes);
        assertTrue(o.wrongPages > 0, () -> "recycled pages spliced onward went unnoticed: " + o);
    }

    /** Negative control: a ring sized for the capacity seen at the start, under a consumer that grows the pipe. */
    @Test
    void aRingThatTrustsTheCapacityCorruptsUnderAGrowingConsumerAndTheCheckSeesIt() throws Exception {
        Outcome o = run(capacityTrustingRing(64 << 10), python("grower.py"));
        assertEquals(TOTAL, o.bytes);
        assertTrue(o.wrongPages > 0, () -> "a ring overwritten in a grown pipe went unnoticed: " + o);
    }
}
