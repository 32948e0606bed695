package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsplice.Errno;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splicing into a pipe: {@code PipeSink.spliceFrom} from a file at an offset and from any
 * descriptor, and {@code transferFrom}, the loop over a whole range, through the real kernel.
 * Waiting, close and interrupt are in {@link CancellationSuite}.
 */
public abstract class SpliceIntoPipeSuite extends ProviderSuite {
    private static final int SIZE = (3 << 20) + 123;

    @TempDir
    Path dir;
    private Pipe pipe;
    private Path path;
    private byte[] bytes;
    private NativeFile file;

    @BeforeEach
    void setUp() throws IOException {
        pipe = Pipes.open();
        bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        path = Files.write(dir.resolve("data"), bytes);
        file = Pipes.openFile(path, StandardOpenOption.READ);
    }

    @AfterEach
    void tearDown() throws IOException {
        file.close();
        pipe.close();
    }

    private byte[] readExactly(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (pipe.source().read(b) < 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private byte[] slice(int from, int n) {
        return java.util.Arrays.copyOfRange(bytes, from, from + n);
    }

    @Test
    void oneSpliceFromAnOffsetMovesThoseBytesAndLeavesTheFilePositionAlone() throws Exception {
        long n = pipe.sink().spliceFrom(file, 1000, 5000);
        assertTrue(n > 0 && n <= 5000, "moved " + n);
        assertArrayEquals(slice(1000, (int) n), readExactly((int) n));
        // The file's own position is still 0: a splice from its descriptor starts at the beginning.
        long m = pipe.sink().spliceFrom(file.fd(), 100);
        assertEquals(100, m);
        assertArrayEquals(slice(0, 100), readExactly(100), "the file position did not move");
    }

    @Test
    void transferFromMovesAWholeRangeThroughASmallPipe() throws Exception {
        pipe.sink().capacity(4096);
        try (PipeDrain drain = PipeDrain.start(pipe.source(), SIZE)) {
            assertEquals(SIZE - 17L, pipe.sink().transferFrom(file, 17, SIZE));
            pipe.sink().close();
            assertArrayEquals(slice(17, SIZE - 17), drain.await(Duration.ofSeconds(60)));
        }
    }

    @Test
    void theEndOfTheFile() throws Exception {
        assertEquals(-1, pipe.sink().spliceFrom(file, SIZE, 10), "at the end: -1");
        assertEquals(-1, pipe.sink().spliceFrom(file, SIZE + 1_000_000L, 10), "beyond the end: -1");
        assertEquals(10, pipe.sink().transferFrom(file, SIZE - 10, 100), "a range past the end stops at the end");
        assertArrayEquals(slice(SIZE - 10, 10), readExactly(10));
        assertEquals(0, pipe.sink().transferFrom(file, SIZE, 100));
        assertEquals(0, pipe.sink().spliceFrom(file, 0, 0), "nothing asked, nothing moved");
    }

    @Test
    void aFullPipeWithNonblockSaysZero() throws Exception {
        pipe.sink().capacity(4096);
        while (pipe.sink().spliceFrom(file, 0, 4096, SpliceFlag.NONBLOCK) > 0) {
            // fill it
        }
        assertEquals(0, pipe.sink().spliceFrom(file, 0, 4096, SpliceFlag.NONBLOCK));
    }

    @Test
    void badInputIsRefusedBeforeAnySystemCall() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipe.sink().spliceFrom(file, -1, 10));
        assertTrue(e.getMessage().contains("offset=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pipe.sink().spliceFrom(file, 0, -5));
        assertTrue(e.getMessage().contains("length=-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pipe.sink().transferFrom(file, 0, -5));
        assertTrue(e.getMessage().contains("count=-5"), e.getMessage());
        NativeFile foreign = new NativeFile() {
            @Override
            public int fd() {
                return 0;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> pipe.sink().spliceFrom(foreign, 0, 1));
        assertThrows(NullPointerException.class, () -> pipe.sink().spliceFrom(file, 0, 1, (SpliceFlag[]) null));
    }

    @Test
    void errorsNameTheCallAndTheErrno() throws Exception {
        // Not open for reading.
        try (NativeFile writeOnly = Pipes.openFile(dir.resolve("out"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            PipeException e = assertThrows(PipeException.class, () -> pipe.sink().spliceFrom(writeOnly, 0, 10));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().startsWith("splice(fd_in=" + writeOnly.fd() + ", off_in=0, fd_out="), e.getMessage());
        }
        PipeException bad = assertThrows(PipeException.class, () -> pipe.sink().spliceFrom(-1, 10));
        assertEquals(Errno.EBADF, bad.errno());
        // No reader left.
        pipe.source().close();
        PipeException epipe = assertThrows(PipeException.class, () -> pipe.sink().spliceFrom(file, 0, 10));
        assertEquals(Errno.EPIPE, epipe.errno());
    }

    @Test
    void aFileSystemThatCannotSpliceSaysEinval() throws Exception {
        // procfs's status files have no splice_read: the kernel refuses with EINVAL.
        try (NativeFile status = Pipes.openFile(Paths.get("/proc/self/status"), StandardOpenOption.READ)) {
            PipeException e = assertThrows(PipeException.class, () -> pipe.sink().spliceFrom(status, 0, 100));
            assertEquals(Errno.EINVAL, e.errno());
            PipeException whole = assertThrows(PipeException.class, () -> pipe.sink().transferFrom(status, 0, 100));
            assertEquals(Errno.EINVAL, whole.errno());
            assertEquals(0, whole.bytesTransferred());
        }
    }

    @Test
    void closedEndsAndFilesAreClosedChannels() throws Exception {
        NativeFile closed = Pipes.openFile(path, StandardOpenOption.READ);
        closed.close();
        assertThrows(ClosedChannelException.class, () -> pipe.sink().spliceFrom(closed, 0, 10));
        pipe.sink().close();
        assertThrows(ClosedChannelException.class, () -> pipe.sink().spliceFrom(file, 0, 10));
        assertThrows(ClosedChannelException.class, () -> pipe.sink().transferFrom(file, 0, 10));
    }

    /** The descriptors of this process that are sockets. */
    private static Set<Integer> sockets() throws IOException {
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    void fromASocketItWaitsForBytesThere() throws Exception {
        Set<Integer> before = sockets();
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            Set<Integer> after = sockets();
            after.removeAll(before);
            assumeTrue(after.size() == 3, "three new sockets expected, found " + after);
            byte[] hello = "hello, pipe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            // Which of the two connected ones is the accepted end: the one that receives what the client sends.
            client.write(ByteBuffer.wrap(hello));
            long moved = -2;
            int quiet = -1;
            for (int fd : after) {
                try {
                    long r = pipe.sink().spliceFrom(fd, 100, SpliceFlag.NONBLOCK);
                    if (r > 0) {
                        moved = r;
                    } else if (r == 0) {
                        quiet = fd; // the client's end: nothing was sent to it
                    }
                } catch (PipeException listening) {
                    // the server's listening socket has no bytes to give
                }
            }
            assertEquals(hello.length, moved);
            assertArrayEquals(hello, readExactly(hello.length));
            assertTrue(quiet >= 0, "the client's socket said 0 without NONBLOCK's wait");
            // A blocking socket with nothing to read: the call waits in poll, where close ends it
            // (a splice(2) from a blocking TCP socket would wait in the kernel, SPLICE_F_NONBLOCK or not).
            int fd = quiet;
            java.util.concurrent.CompletableFuture<Long> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return pipe.sink().spliceFrom(fd, 100);
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Thread.sleep(200);
            assertTrue(!waiting.isDone(), "nothing to read: the call waits");
            pipe.sink().close();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> waiting.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof org.jsplice.PipeAsynchronousCloseException, "thrown: " + e.getCause());
            assertTrue(accepted.isOpen());
        }
    }
}
