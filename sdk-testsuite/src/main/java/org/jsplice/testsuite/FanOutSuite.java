package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.process.ChildRunException;
import org.jsplice.process.FanOut;
import org.jsplice.process.FanOutException;
import org.jsplice.PipeSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FanOut} to real consumers: {@code sha256sum}, a slow reader, one that stops early and one
 * that is killed, a file, and Java readers of different speeds. Every consumer that reads to the end
 * must get exactly the input, whatever the others do: a short {@code tee} into a nearly full pipe
 * (which the slow readers cause) must neither lose nor repeat a byte.
 */
public abstract class FanOutSuite extends ProviderSuite {
    private static final int SIZE = 64 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path data;
    static byte[] digest;

    @BeforeAll
    static void data() throws Exception {
        byte[] b = new byte[SIZE];
        new Random(21).nextBytes(b);
        data = Files.write(dir.resolve("data.bin"), b);
        digest = MessageDigest.getInstance("SHA-256").digest(b);
    }

    /**
     * A Java consumer that digests what it reads, {@code readSize} bytes a read, pausing every
     * {@code pauseEveryBytes}: small reads free a slot or two of its pipe at a time, so that a tee
     * into it stops short.
     */
    private static final class Digesting implements ChildOutput {
        final MessageDigest md;
        final int readSize;
        final long pauseEveryBytes;
        long seen;

        Digesting(int readSize, long pauseEveryBytes) throws Exception {
            this.md = MessageDigest.getInstance("SHA-256");
            this.readSize = readSize;
            this.pauseEveryBytes = pauseEveryBytes;
        }

        @Override
        public void drain(PipeSource stdout) throws IOException {
            ByteBuffer b = ByteBuffer.allocateDirect(readSize);
            int n;
            while ((n = stdout.read(b.clear())) >= 0) {
                long before = seen;
                seen += n;
                md.update(b.flip());
                if (pauseEveryBytes > 0 && before / pauseEveryBytes != seen / pauseEveryBytes) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }
    }

    @Test
    void threeChildrenOneSlowAndOneThatStopsEarlyEachGetTheirBytesAndTheOthersAll() throws Exception {
        ByteArrayOutputStream sum = new ByteArrayOutputStream();
        Path copy = dir.resolve("slow-copy.bin");
        FanOut.Result r = FanOut.of(ChildInput.file(data),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sha256sum")).output(ChildOutput.stream(sum)).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("head", "-c", "1000")).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sh", "-c", "sleep 1; exec cat")).output(ChildOutput.file(copy))
                        .timeout(LIMIT))).run();
        assertEquals(SIZE, r.bytesIn());
        assertEquals(SIZE, r.bytesTaken(0));
        assertTrue(r.bytesTaken(1) >= 1000 && r.bytesTaken(1) < SIZE, "head took " + r.bytesTaken(1));
        assertEquals(SIZE, r.bytesTaken(2));
        assertEquals(HexFormat.of().formatHex(digest) + "  -\n", sum.toString(StandardCharsets.US_ASCII));
        assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(copy)));
        for (Throwable t : r.failures()) {
            assertNull(t);
        }
    }

    @Test
    void aConsumerThatDiesIsReportedAndTheOthersStillGetEverything() throws Exception {
        Digesting fast = new Digesting(1 << 16, 0);
        Digesting slow = new Digesting(4096, 1 << 20);
        FanOutException e = assertThrows(FanOutException.class, () -> FanOut.of(ChildInput.file(data),
                fast,
                ChildOutput.child(ChildRun.of(new ProcessBuilder("sh", "-c", "head -c 5000000 > /dev/null; kill -9 $$"))
                        .timeout(LIMIT)),
                slow).run());
        FanOut.Result r = e.result();
        assertTrue(r.failure(1) instanceof ChildRunException, String.valueOf(r.failure(1)));
        assertEquals(ChildRunException.Side.CHILD, ((ChildRunException) r.failure(1)).side());
        assertNull(r.failure(0));
        assertNull(r.failure(2));
        assertEquals(SIZE, r.bytesTaken(0));
        assertEquals(SIZE, r.bytesTaken(2));
        assertArrayEquals(digest, fast.md.digest(), "the fast consumer got other bytes");
        assertArrayEquals(digest, slow.md.digest(), "the slow consumer got other bytes");
    }

    @Test
    void readersOfEverySpeedGetExactlyTheInputThroughShortTees() throws Exception {
        Digesting[] readers = {new Digesting(1 << 16, 0), new Digesting(4096, 256 << 10), new Digesting(8192, 3 << 20),
            new Digesting(4096, 64 << 10)};
        FanOut.Result r = FanOut.of(ChildInput.file(data), readers).run();
        for (int i = 0; i < readers.length; i++) {
            assertEquals(SIZE, r.bytesTaken(i), "consumer " + i);
            assertArrayEquals(digest, readers[i].md.digest(), "consumer " + i + " got other bytes");
        }
    }

    @Test
    void oneBuilderSharedByTwoConsumersStartsTwoChildrenWithAPipeEach() throws Exception {
        ProcessBuilder sha = new ProcessBuilder("sha256sum");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        FanOut.Result r = FanOut.of(ChildInput.file(data),
                ChildOutput.child(ChildRun.of(sha).output(ChildOutput.stream(first)).timeout(LIMIT)),
                ChildOutput.child(ChildRun.of(sha).output(ChildOutput.stream(second)).timeout(LIMIT))).run();
        String expected = HexFormat.of().formatHex(digest) + "  -\n";
        assertEquals(expected, first.toString(StandardCharsets.US_ASCII));
        assertEquals(expected, second.toString(StandardCharsets.US_ASCII));
        assertEquals(SIZE, r.bytesTaken(1));
        assertEquals(ProcessBuilder.Redirect.PIPE, sha.redirectInput(), "the caller's builder was changed");
    }

    @Test
    void oneConsumerGetsTheInputBySpliceAlone() throws Exception {
        Digesting only = new Digesting(1 << 16, 0);
        FanOut.Result r = FanOut.of(ChildInput.bytes(Files.readAllBytes(data)), only).run();
        assertEquals(SIZE, r.bytesIn());
        assertArrayEquals(digest, only.md.digest());
    }

    @Test
    void aFailingInputIsReportedAfterTheConsumersEnd() {
        IOException boom = new IOException("source gone");
        FanOutException e = assertThrows(FanOutException.class, () -> FanOut.of(ChildInput.writer(w -> {
            w.write(new byte[1 << 20], 0, 1 << 20);
            throw boom;
        }), ChildOutput.discard(), ChildOutput.discard()).run());
        assertEquals(boom, e.result().inputFailure());
        assertEquals(1 << 20, e.result().bytesIn());
        assertEquals(1 << 20, e.result().bytesTaken(0));
        assertEquals(1 << 20, e.result().bytesTaken(1));
    }
}
