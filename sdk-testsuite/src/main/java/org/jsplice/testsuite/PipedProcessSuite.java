package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsplice.Errno;
import org.jsplice.PartialTransfer;
import org.jsplice.PipeException;
import org.jsplice.PipeWriter;
import org.jsplice.process.PipedProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Child processes fed and read through jsplice pipes, without FIFOs: real programs at the other end. */
@Timeout(120)
public abstract class PipedProcessSuite extends ProviderSuite {
    private static final int SIZE = 48 << 20;

    private static void fill(ByteBuffer b, int n, long offset) {
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) ((offset + i) * 31 + ((offset + i) >>> 11)));
        }
    }

    /** Writes {@code size} bytes of the pattern through the safe writer, digesting them as it goes. */
    private static long feed(PipeWriter writer, long size, MessageDigest digest) throws IOException {
        long offset = 0;
        while (offset < size) {
            try (PipeWriter.Region r = writer.claim()) {
                int n = (int) Math.min(r.capacity(), size - offset);
                fill(r.buffer(), n, offset);
                if (digest != null) {
                    digest.update(r.buffer().duplicate().limit(n));
                }
                writer.commit(r, n);
                offset += n;
            }
        }
        return offset;
    }

    @Test
    void sha256sumOfAStreamFedByVmspliceMatchesJavasDigest() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        PipedProcess child = PipedProcess.start(new ProcessBuilder("sha256sum"), true, false);
        try (child; PipeWriter writer = PipeWriter.builder(child.stdin()).build()) {
            feed(writer, SIZE, digest);
        }
        String out = new String(child.process().getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(HexFormat.of().formatHex(digest.digest()), out.split("\\s+")[0]);
    }

    @Test
    void catBetweenTwoPipesGivesBackEveryByte() throws Exception {
        try (PipedProcess cat = PipedProcess.start(new ProcessBuilder("cat"), true, true)) {
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                ByteBuffer got = ByteBuffer.allocate(SIZE + 1);
                ByteBuffer bite = ByteBuffer.allocateDirect(1 << 16);
                try {
                    while (cat.stdout().read(bite.clear()) >= 0) {
                        got.put(bite.flip());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return java.util.Arrays.copyOf(got.array(), got.position());
            });
            try (PipeWriter writer = PipeWriter.builder(cat.stdin()).build()) {
                feed(writer, SIZE, null);
            }
            cat.stdin().close();
            byte[] got = back.get(60, TimeUnit.SECONDS);
            assertEquals(SIZE, got.length, "end of stream after the last byte: the parent holds no copy of cat's output end");
            byte[] expected = new byte[SIZE];
            fill(ByteBuffer.wrap(expected), SIZE, 0);
            assertArrayEquals(expected, got);
            assertTrue(cat.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, cat.process().exitValue());
        }
    }

    @Test
    void aChildThatStopsReadingEarlyGivesEpipeWithTheBytesCounted() throws Exception {
        PipedProcess head = PipedProcess.start(new ProcessBuilder("head", "-c", "1000"), true, false);
        try (head; PipeWriter writer = PipeWriter.builder(head.stdin()).build()) {
            PipeException e = assertThrows(PipeException.class, () -> feed(writer, 1L << 40, null));
            assertEquals(Errno.EPIPE, e.errno());
            String out = new String(head.process().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals(1000, out.length());
            assertTrue(writer.committed() >= 1000, "the bytes head took were counted: committed=" + writer.committed());
        }
    }

    @Test
    void aChildThatDiesMidStreamEndsTheWriterWithEpipeAndNoHang() throws Exception {
        PipedProcess dying = PipedProcess.start(new ProcessBuilder("sh", "-c", "head -c 100000 >/dev/null; kill -9 $$"),
                true, false);
        try (dying; PipeWriter writer = PipeWriter.builder(dying.stdin()).build()) {
            PipeException e = assertThrows(PipeException.class, () -> feed(writer, 1L << 40, null));
            assertEquals(Errno.EPIPE, e.errno(), e.getMessage());
            assertTrue(dying.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, dying.process().exitValue(), "killed by SIGKILL");
            assertTrue(writer.committed() >= 100000, "committed=" + writer.committed());
            assertTrue(PartialTransfer.of(e) >= 0);
        }
    }

    @Test
    void onlyAPipedStreamHasAnEnd() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> PipedProcess.start(new ProcessBuilder("true"), false, false));
        try (PipedProcess t = PipedProcess.start(new ProcessBuilder("true"), true, false)) {
            assertThrows(IllegalStateException.class, t::stdout);
            assertTrue(t.process().waitFor(60, TimeUnit.SECONDS));
        }
    }

    /**
     * Starting a builder again after PipedProcess used it must not open the pipe's old
     * /proc/self/fd path: by then that number may be a file the application opened, which the
     * JDK would open with O_TRUNC and overwrite.
     */
    @Test
    void theBuilderGivenIsNeverChangedSoStartingItAgainClobbersNothing() throws Exception {
        java.nio.file.Path precious = java.nio.file.Files.createTempFile("jsplice-precious", ".txt");
        try {
            java.nio.file.Files.writeString(precious, "PRECIOUS");
            ProcessBuilder b = new ProcessBuilder("sh", "-c", "echo CLOBBERED");
            try (PipedProcess child = PipedProcess.start(b, true, true)) {
                child.stdin().close();
                ByteBuffer got = ByteBuffer.allocate(64);
                while (child.stdout().read(got) >= 0) {
                    // until the end
                }
                assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
            }
            assertEquals(ProcessBuilder.Redirect.PIPE, b.redirectInput());
            assertEquals(ProcessBuilder.Redirect.PIPE, b.redirectOutput());
            // The numbers the pipes had are free now; files opened next take them.
            java.util.List<java.io.FileInputStream> opened = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    opened.add(new java.io.FileInputStream(precious.toFile()));
                }
                Process again = b.start();
                again.getInputStream().readAllBytes();
                assertTrue(again.waitFor(60, TimeUnit.SECONDS));
                Process piped = PipedProcess.start(b, false, true).process();
                assertTrue(piped.waitFor(60, TimeUnit.SECONDS));
            } finally {
                for (java.io.FileInputStream in : opened) {
                    in.close();
                }
            }
            assertEquals("PRECIOUS", java.nio.file.Files.readString(precious));
        } finally {
            java.nio.file.Files.deleteIfExists(precious);
        }
    }

    /** The JDK's default, an undrained stderr pipe, would stop a chatty child at 64 KiB. */
    @Test
    void aChildThatWritesMuchToStandardErrorIsNotStoppedByAPipeNobodyReads() throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' ' ' >&2; echo done");
        try (PipedProcess child = PipedProcess.start(b, false, true)) {
            ByteBuffer got = ByteBuffer.allocate(64);
            while (child.stdout().read(got) >= 0) {
                // until the end
            }
            assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "the child is stuck on its standard error");
            assertEquals("done\n", new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII));
            assertEquals(-1, child.process().getErrorStream().read(), "standard error is inherited, not a pipe");
        }
    }
}
