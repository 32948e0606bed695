package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.process.ChildRunException;
import org.jsplice.process.ChildRunException.Side;
import org.jsplice.PipeWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChildRun} over real programs: {@code sha256sum}, {@code gzip -1 | gzip -d} with an
 * observer between them, {@code sort}, {@code cat} both ways, and children that misbehave (never
 * read, write a gigabyte before they read, exit at once, get killed mid-stream, fail). Each run has
 * a timeout far above what it takes, so that a hang fails as a timeout instead of stopping the
 * build; none must come near it.
 */
public abstract class ChildRunSuite extends ProviderSuite {
    private static final long BIG = 256L << 20;
    private static final int MIDDLE = 64 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path text;
    static byte[] textDigest;

    /** 256 MiB of numbered lines: compressible, so that gzip runs at hundreds of MB/s. */
    @BeforeAll
    static void files() throws Exception {
        text = dir.resolve("lines.txt");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(text)) {
            StringBuilder sb = new StringBuilder();
            long written = 0;
            for (long line = 0; written < BIG; line++) {
                sb.setLength(0);
                sb.append("line ").append(line).append(" of the pattern, ").append(Long.toHexString(line * 0x9E3779B97F4A7C15L)).append('\n');
                byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                int n = (int) Math.min(b.length, BIG - written);
                out.write(b, 0, n);
                md.update(b, 0, n);
                written += n;
            }
        }
        textDigest = md.digest();
    }

    private static ChildOutput digesting(MessageDigest md) {
        return ChildOutput.buffers(md::update);
    }

    /** {@code length} bytes of a pattern from memory, through the writer's safe default. */
    private static ChildInput pattern(long length) {
        return ChildInput.writer(w -> fill(w, length));
    }

    private static void fill(PipeWriter w, long length) throws IOException {
        for (long offset = 0; offset < length; ) {
            PipeWriter.Region r = w.claim();
            int n = (int) Math.min(r.capacity(), length - offset);
            ByteBuffer b = r.buffer();
            for (int i = 0; i < n; i += 8) {
                b.putLong(i, offset + i);
            }
            w.commit(r, n);
            offset += n;
        }
    }

    private static boolean isPattern(ByteBuffer b, long offset) {
        ByteBuffer o = b.duplicate().order(java.nio.ByteOrder.nativeOrder());
        for (int i = o.position(); i + 8 <= o.limit(); i += 8) {
            long at = offset + i - o.position();
            if (at % 8 == 0 && o.getLong(i) != at) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sha256sumOf256MiBFromAFileMatchesJavasDigest() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("sha256sum")).input(ChildInput.file(text))
                .output(ChildOutput.stream(out)).timeout(LIMIT).run();
        assertEquals(BIG, r.bytesIn());
        assertTrue(r.inputComplete());
        assertEquals(List.of(0), r.exitStatuses());
        assertEquals(HexFormat.of().formatHex(textDigest) + "  -\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals(out.size(), r.bytesOut());
    }

    @Test
    void gzipThenGunzipGivesBack256MiBByteForByteAndTheObserverSeesTheCompressedStream() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Path observed = dir.resolve("observed.gz");
        ChildRun.Result r = ChildRun.pipeline(new ProcessBuilder("gzip", "-1"), new ProcessBuilder("gzip", "-d"))
                .input(ChildInput.file(text)).observe(0, ChildOutput.file(observed)).output(digesting(md))
                .timeout(LIMIT).run();
        assertEquals(List.of(0, 0), r.exitStatuses());
        assertEquals(BIG, r.bytesIn());
        assertEquals(BIG, r.bytesOut());
        assertArrayEquals(textDigest, md.digest(), "gzip -d gave back other bytes");
        MessageDigest again = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(observed), 1 << 16)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) >= 0) {
                again.update(b, 0, n);
            }
        }
        assertArrayEquals(textDigest, again.digest(), "the observer saw other bytes than gzip -d read");
    }

    @Test
    void sortReadsEverythingBeforeItWrites() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            lines.add(String.format("%08d-%s", (i * 7919) % 200_000, "x".repeat(i % 13)));
        }
        Collections.shuffle(lines, new Random(7));
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
        ProcessBuilder sort = new ProcessBuilder("sort");
        sort.environment().put("LC_ALL", "C");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.Result r = ChildRun.of(sort).input(ChildInput.bytes(input)).output(ChildOutput.stream(out)).timeout(LIMIT).run();
        Collections.sort(lines);
        assertEquals(String.join("\n", lines) + "\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals(input.length, r.bytesIn());
        assertEquals(input.length, r.bytesOut());
    }

    @Test
    void catMoves64MiBEachWayAtOnce() throws Exception {
        AtomicLong offset = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("cat")).input(pattern(MIDDLE)).output(ChildOutput.buffers(b -> {
            if (wrong.get() == null && offset.get() % 8 == 0 && !isPattern(b, offset.get())) {
                wrong.set("at " + offset.get());
            }
            offset.addAndGet(b.remaining());
        })).timeout(LIMIT).run();
        assertEquals(MIDDLE, r.bytesIn());
        assertEquals(MIDDLE, r.bytesOut());
        assertEquals(MIDDLE, offset.get());
        assertEquals(null, wrong.get(), "cat gave back other bytes");
    }

    @Test
    void aChildThatNeverReadsEndsWhenItExits() throws Exception {
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("sleep", "1")).input(pattern(MIDDLE)).timeout(LIMIT).run();
        assertEquals(0, r.exitStatus());
        assertFalse(r.inputComplete());
        assertTrue(r.bytesIn() < MIDDLE, "bytes in: " + r.bytesIn());
    }

    @Test
    void aChildThatWritesAGibibyteBeforeItReadsIsDrainedMeanwhile() throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "head -c 1073741824 /dev/zero; cat > /dev/null");
        ChildRun.Result r = ChildRun.of(b).input(pattern(MIDDLE)).timeout(LIMIT).run();
        assertEquals(1L << 30, r.bytesOut());
        assertEquals(MIDDLE, r.bytesIn());
        assertTrue(r.inputComplete());
    }

    @Test
    void aChildThatExitsAtOnceEndsTheRunWithItsStatus() throws Exception {
        ChildRun.Result ok = ChildRun.of(new ProcessBuilder("true")).input(pattern(MIDDLE)).timeout(LIMIT).run();
        assertEquals(0, ok.exitStatus());
        assertFalse(ok.inputComplete());
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(
                new ProcessBuilder("sh", "-c", "echo 'no such table' >&2; exit 7")).input(pattern(MIDDLE)).timeout(LIMIT).run());
        assertEquals(Side.CHILD, e.side());
        assertEquals(List.of(7), e.exitStatuses());
        assertTrue(e.getMessage().contains("no such table"), e.getMessage());
        assertEquals("no such table\n", e.result().stderr().get(0));
    }

    @Test
    void aChildKilledMidStreamFailsTheRunWithBothCounts() throws Exception {
        Path pidFile = dir.resolve("cat.pid");
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "echo $$ > '" + pidFile + "'; exec cat");
        AtomicLong seen = new AtomicLong();
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(b).input(pattern(1L << 30))
                .output(ChildOutput.buffers(buf -> {
                    if (seen.getAndAdd(buf.remaining()) < (8 << 20) && seen.get() >= (8 << 20)) {
                        long pid = Long.parseLong(Files.readString(pidFile).trim());
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                })).timeout(LIMIT).run());
        assertEquals(Side.CHILD, e.side());
        assertEquals(List.of(137), e.exitStatuses());
        assertEquals(List.of(org.jsplice.process.ExitStatus.killed(9, false)), e.statuses());
        assertEquals(seen.get(), e.bytesOut());
        assertTrue(e.bytesOut() >= 8 << 20 && e.bytesIn() >= e.bytesOut() && e.bytesIn() < 1L << 30,
                "in " + e.bytesIn() + " out " + e.bytesOut());
        assertFalse(e.result().inputComplete());
    }

    @Test
    void aFailingInputEndsTheRunAndKillsTheChild() {
        IOException boom = new IOException("the disk went away");
        InputStream failing = new InputStream() {
            long given;

            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= 1 << 20) {
                    throw boom;
                }
                int n = Math.min(len, 4096);
                given += n;
                return n;
            }
        };
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("cat"))
                .input(ChildInput.stream(failing)).timeout(LIMIT).run());
        assertEquals(Side.INPUT, e.side());
        assertEquals(boom, e.getCause());
        assertEquals(1 << 20, e.bytesIn());
        assertTrue(e.bytesOut() <= e.bytesIn());
        assertNotNull(e.exitStatuses().get(0), "the child was not reaped");
    }

    @Test
    void aFailingOutputEndsTheRunAndKillsTheChild() {
        IOException boom = new IOException("no space left");
        AtomicLong taken = new AtomicLong();
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(
                new ProcessBuilder("sh", "-c", "head -c 1073741824 /dev/zero")).output(ChildOutput.buffers(b -> {
                    if (taken.addAndGet(b.remaining()) > 1 << 20) {
                        throw boom;
                    }
                })).timeout(LIMIT).run());
        assertEquals(Side.OUTPUT, e.side());
        assertEquals(boom, e.getCause());
        assertEquals(taken.get(), e.bytesOut());
        assertTrue(e.exitStatuses().get(0) != 0, "the child ran to its end: " + e.exitStatuses());
    }

    @Test
    void standardErrorIsKeptToItsLimitAndTheEndIsWhatIsKept() {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' a >&2; echo THE-END >&2; exit 1");
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(b).stderrLimit(1000).timeout(LIMIT).run());
        String kept = e.result().stderr().get(0);
        assertEquals(1000, kept.length());
        assertTrue(kept.endsWith("aTHE-END\n"), kept.substring(kept.length() - 20));
    }

    @Test
    @Timeout(60)
    void theTimeoutKillsAChildThatNeverEnds() {
        long start = System.nanoTime();
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("sleep", "600"))
                .input(pattern(MIDDLE)).timeout(Duration.ofMillis(500)).run());
        assertEquals(Side.TIMEOUT, e.side());
        assertEquals(List.of(org.jsplice.process.ExitStatus.killed(15, false)), e.statuses(), "SIGTERM first");
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
    }

    @Test
    void aRunOnAVirtualThreadParksItAndCompletes() throws Exception {
        Assumptions.assumeTrue(Loom.available(), Loom.REASON);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = Loom.start(() -> {
            try {
                outcome.set(ChildRun.of(new ProcessBuilder("cat")).input(pattern(MIDDLE)).timeout(LIMIT).run());
            } catch (Throwable x) {
                outcome.set(x);
            }
        });
        t.join(LIMIT.toMillis());
        assertTrue(outcome.get() instanceof ChildRun.Result, String.valueOf(outcome.get()));
        assertEquals(MIDDLE, ((ChildRun.Result) outcome.get()).bytesOut());
    }
}
