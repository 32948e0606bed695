package org.jsplice.testsuite;

import static org.jsplice.testsuite.KernelFactsSuite.expectErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jsplice.Errno;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.linux.Linux;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** splice, tee and FIFOs on the real kernel, in the manner of LTP's splice, tee and vmsplice tests. */
public abstract class SpliceTeeSuite extends ProviderSuite {
    private static final int SIZE = 16 << 20;

    @TempDir
    Path dir;
    private NativeBuffer memory;
    private byte[] content;

    @BeforeEach
    void fill() throws IOException {
        memory = Pipes.allocate(SIZE);
        content = new byte[SIZE];
        new Random(11).nextBytes(content);
        memory.asByteBuffer().put(content);
    }

    @AfterEach
    void unmap() {
        memory.close();
    }

    /** vmsplice the whole memory into the pipe on a thread of its own, then close the sink. */
    private Thread feed(PipeSink sink) {
        Thread t = new Thread(() -> {
            try (sink) {
                sink.vmspliceFully(List.of(memory.slice(0, SIZE)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void memoryToPipeToFileBySpliceRoundTripsByteForByte() throws Exception {
        Path out = dir.resolve("out.bin");
        try (Pipe pipe = Pipes.open();
                NativeFile file = Pipes.openFile(out, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            Thread writer = feed(pipe.sink());
            long total = 0;
            long r;
            while ((r = pipe.source().splice(file, total, 1 << 20)) >= 0) {
                total += r;
            }
            writer.join();
            assertEquals(SIZE, total);
        }
        assertArrayEquals(content, Files.readAllBytes(out));
    }

    @Test
    void spliceAtTheFilesPositionAppendsLikeWrite() throws Exception {
        Path out = dir.resolve("out.bin");
        try (Pipe pipe = Pipes.open(); NativeFile file = Pipes.openFile(out, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            pipe.sink().vmsplice(List.of(memory.slice(0, 1000)));
            assertEquals(400, pipe.source().splice(file.fd(), 400));
            assertEquals(600, pipe.source().splice(file.fd(), 4096));
        }
        assertArrayEquals(java.util.Arrays.copyOf(content, 1000), Files.readAllBytes(out));
    }

    @Test
    void pipeToPipeBySplice() throws Exception {
        try (Pipe first = Pipes.open(); Pipe second = Pipes.open(); PipeDrain drain = PipeDrain.start(second.source(), SIZE)) {
            Thread writer = feed(first.sink());
            long total = 0;
            long r;
            while ((r = first.source().splice(second.sink(), 1 << 20)) >= 0) {
                total += r;
            }
            writer.join();
            second.sink().close();
            assertEquals(SIZE, total);
            assertArrayEquals(content, drain.await(java.time.Duration.ofSeconds(60)));
        }
    }

    @Test
    void teeDuplicatesWithoutConsuming() throws Exception {
        try (Pipe a = Pipes.open(); Pipe b = Pipes.open()) {
            a.sink().vmsplice(List.of(memory.slice(0, 5000)));
            assertEquals(5000, a.source().tee(b.sink(), 1 << 20));
            assertEquals(5000, a.source().queued(), "tee consumes nothing");
            assertEquals(5000, b.source().queued());
            byte[] fromA = new byte[5000];
            byte[] fromB = new byte[5000];
            assertEquals(5000, a.source().read(ByteBuffer.wrap(fromA)));
            assertEquals(5000, b.source().read(ByteBuffer.wrap(fromB)));
            assertArrayEquals(java.util.Arrays.copyOf(content, 5000), fromA);
            assertArrayEquals(fromA, fromB);
            a.sink().close();
            assertEquals(-1, a.source().tee(b.sink(), 10), "empty and no writer: end of stream");
        }
    }

    @Test
    void nothingToMoveWithNonblockIsZeroAndEndOfStreamIsMinusOne() throws Exception {
        try (Pipe a = Pipes.open(); Pipe b = Pipes.open()) {
            assertEquals(0, a.source().splice(b.sink(), 10, SpliceFlag.NONBLOCK));
            assertEquals(0, a.source().tee(b.sink(), 10, SpliceFlag.NONBLOCK));
            assertEquals(0, a.source().splice(b.sink(), 0), "length 0: no call");
            a.sink().close();
            assertEquals(-1, a.source().splice(b.sink(), 10));
        }
    }

    @Test
    void spliceWhereNeitherEndIsAPipeIsEinval() throws Exception {
        Path in = Files.write(dir.resolve("in.bin"), new byte[100]);
        try (NativeFile src = Pipes.openFile(in);
                NativeFile dst = Pipes.openFile(dir.resolve("dst"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            PipeSource notAPipe = Pipes.provider().source(src.fd(), false);
            PipeException e = expectErrno(Errno.EINVAL, () -> notAPipe.splice(dst.fd(), 10));
            assertTrue(e.getMessage().startsWith("splice(fd_in=" + src.fd() + ", fd_out=" + dst.fd() + ", len=10, flags=[])"),
                    e.getMessage());
        }
    }

    @Test
    void teeWithinOnePipeIsEinval() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            pipe.sink().vmsplice(List.of(memory.slice(0, 10)));
            expectErrno(Errno.EINVAL, () -> pipe.source().tee(pipe.sink(), 10));
        }
    }

    @Test
    void anOffsetOnAPipeIsEspipe() throws Exception {
        Path fifo = dir.resolve("fifo");
        Pipes.mkfifo(fifo);
        // O_RDWR opens a FIFO without waiting for the other side.
        try (Pipe pipe = Pipes.open(); NativeFile other = Pipes.openFile(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            pipe.sink().vmsplice(List.of(memory.slice(0, 10)));
            expectErrno(Errno.ESPIPE, () -> pipe.source().splice(other, 0, 10));
            assertEquals(10, pipe.source().queued(), "nothing moved");
        }
    }

    @Test
    void anAppendOnlyTargetIsEinval() throws Exception {
        try (Pipe pipe = Pipes.open();
                NativeFile file = Pipes.openFile(dir.resolve("log"), StandardOpenOption.APPEND, StandardOpenOption.CREATE)) {
            pipe.sink().vmsplice(List.of(memory.slice(0, 10)));
            expectErrno(Errno.EINVAL, () -> pipe.source().splice(file.fd(), 10));
            expectErrno(Errno.EINVAL, () -> pipe.source().splice(file, 0, 10));
        }
    }

    @Test
    void badDescriptorsAreEbadfAndClosedEndsAreClosedChannelException() throws Exception {
        try (Pipe pipe = Pipes.open(); Pipe other = Pipes.open()) {
            pipe.sink().vmsplice(List.of(memory.slice(0, 10)));
            expectErrno(Errno.EBADF, () -> pipe.source().splice(-1, 10));
            // The output must be open for writing: a pipe's read end is not.
            expectErrno(Errno.EBADF, () -> pipe.source().splice(((org.jsplice.internal.linux.LinuxPipeEnd) other.source()).fd(), 10));
            expectErrno(Errno.EBADF, () -> Pipes.provider().source(-1, false).splice(other.sink(), 10));
            other.sink().close();
            assertThrows(ClosedChannelException.class, () -> pipe.source().splice(other.sink(), 10));
            assertThrows(ClosedChannelException.class, () -> pipe.source().tee(other.sink(), 10));
            pipe.source().close();
            assertThrows(ClosedChannelException.class, () -> pipe.source().splice(-1, 10));
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (Pipe pipe = Pipes.open()) {
                pipe.source().splice(pipe.sink(), -1);
            }
        });
    }

    @Test
    void aFifoFeedsAChildProcessThroughVmsplice() throws Exception {
        Path fifo = dir.resolve("to-child");
        Pipes.mkfifo(fifo);
        assertEquals(org.jsplice.spi.FileType.FIFO, fileTypeOf(fifo));
        // Both opens wait for the other side (ProcessBuilder opens the redirect itself): open ours on a thread.
        java.util.concurrent.CompletableFuture<PipeSink> opening = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Pipes.openFifoSink(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Process child = new ProcessBuilder("sha256sum").redirectInput(fifo.toFile()).start();
        try (PipeSink sink = opening.get(60, TimeUnit.SECONDS)) {
            sink.vmspliceFully(List.of(memory.slice(0, SIZE)));
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertEquals(expected, out.split("\\s+")[0]);
    }

    private static org.jsplice.spi.FileType fileTypeOf(Path p) throws IOException {
        try (NativeFile f = Pipes.openFile(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return Pipes.provider().fileType(f.fd());
        }
    }

    @Test
    void aFifoOpensAsSourceAndRefusesWhatIsNotAFifo() throws Exception {
        Path fifo = dir.resolve("from-child");
        Pipes.mkfifo(fifo);
        Process child = new ProcessBuilder("sh", "-c", "printf hello > '" + fifo + "'").start();
        try (PipeSource source = Pipes.openFifoSource(fifo)) {
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (source.read(buf) >= 0) {
                // until the child closes its end
            }
            assertEquals("hello", new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        Path plain = Files.write(dir.resolve("plain"), new byte[1]);
        IOException e = assertThrows(IOException.class, () -> Pipes.openFifoSource(plain));
        assertTrue(e.getMessage().contains("is a regular file, not a FIFO"), e.getMessage());
        expectErrno(Errno.EEXIST, () -> Pipes.mkfifo(fifo));
    }

    @Test
    void packetModePipesAreOpenedWithODirect() throws Exception {
        try (Pipe pipe = Pipes.open(PipeOption.DIRECT)) {
            int fl = TestNatives.fcntl(((org.jsplice.internal.linux.LinuxPipeEnd) pipe.sink()).fd(), Linux.F_GETFL, 0);
            assertEquals(Linux.O_DIRECT, fl & Linux.O_DIRECT);
            pipe.sink().vmsplice(List.of(memory.slice(0, 100)));
            pipe.sink().vmsplice(List.of(memory.slice(100, 100)));
            byte[] got = new byte[200];
            ByteBuffer buf = ByteBuffer.wrap(got);
            while (buf.hasRemaining()) {
                pipe.source().read(buf);
            }
            assertArrayEquals(java.util.Arrays.copyOf(content, 200), got);
        }
    }
}
