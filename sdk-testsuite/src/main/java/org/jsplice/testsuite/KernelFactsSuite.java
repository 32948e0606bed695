package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.linux.Linux;
import org.jsplice.testkit.PipeDrain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each write-direction row of the kernel-facts table: what the kernel does (through the raw
 * natives, where the SDK would get in the way) and what jsplice does.
 */
public abstract class KernelFactsSuite extends ProviderSuite {
    private static final long PAGE = Pipes.provider().pageSize();
    private static final int IOV_MAX = Pipes.provider().iovMax();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Pipe pipe;
    private NativeBuffer memory;

    @BeforeEach
    void open() throws IOException {
        pipe = Pipes.open();
        memory = Pipes.allocate(1 << 20);
        ByteBuffer view = memory.asByteBuffer();
        for (int i = 0; i < view.capacity(); i++) {
            view.put(i, (byte) (i * 31 + 7));
        }
    }

    @AfterEach
    void close() throws IOException {
        pipe.close();
        memory.close();
    }

    static PipeException expectErrno(Errno errno, ThrowingRunnable call) {
        PipeException e = assertThrows(PipeException.class, call::run);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private List<IoVec> oneByteSegments(int n) {
        List<IoVec> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(memory.slice(i * 2L, 1));
        }
        return segments;
    }

    private byte[] bytes(long offset, int length) {
        byte[] b = new byte[length];
        memory.asByteBuffer(offset, length).get(b);
        return b;
    }

    /** Raw vmsplice on a descriptor, bypassing every check of the SDK; returns r or -errno. */
    private static long rawVmsplice(int fd, List<IoVec> segments, int flags) {
        try (com.sun.jna.Memory iov = new com.sun.jna.Memory(16L * Math.max(1, segments.size()))) {
            for (int i = 0; i < segments.size(); i++) {
                iov.setLong(16L * i, segments.get(i).address());
                iov.setLong(16L * i + 8, segments.get(i).length());
            }
            long r = TestNatives.vmsplice(fd, com.sun.jna.Pointer.nativeValue(iov), segments.size(), flags);
            return r >= 0 ? r : -TestNatives.errno();
        }
    }

    private int sinkFd() {
        return ((org.jsplice.internal.linux.LinuxPipeEnd) pipe.sink()).fd();
    }

    @Test
    void zeroSegmentsReturnZeroWithoutSystemCall() throws IOException {
        assertEquals(0, rawVmsplice(sinkFd(), List.of(), 0), "the kernel returns 0 for nr_segs == 0");
        // fd -1 would make any real vmsplice fail with EBADF: a 0 proves no call was made.
        PipeSink invalid = Pipes.provider().sink(-1, false);
        assertEquals(0, invalid.vmsplice(List.of()));
        assertEquals(0, invalid.vmspliceFully(List.of()));
        assertEquals(0, invalid.vmspliceFully(List.of(memory.slice(0, 0), memory.slice(5, 0))));
    }

    @Test
    void moreThanIovMaxSegmentsIsEinvalBeforeTheCall() throws Exception {
        assertEquals(1024, IOV_MAX);
        List<IoVec> tooMany = oneByteSegments(IOV_MAX + 1);
        assertEquals(-Errno.EINVAL.code(), rawVmsplice(sinkFd(), tooMany, 0), "the kernel refuses IOV_MAX + 1");
        PipeException e = expectErrno(Errno.EINVAL, () -> pipe.sink().vmsplice(tooMany));
        assertTrue(e.getMessage().contains("segments=1025"), e.getMessage());
        assertTrue(e.getMessage().contains("IOV_MAX=1024"), e.getMessage());
        assertEquals(0, pipe.sink().queued(), "nothing reached the pipe");
    }

    @Test
    void vmspliceFullyBatchesAboveIovMax() throws Exception {
        List<IoVec> many = oneByteSegments(3 * IOV_MAX + 5);
        try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 20)) {
            assertEquals(many.size(), pipe.sink().vmspliceFully(many));
            pipe.sink().close();
            byte[] got = drain.await(TIMEOUT);
            assertEquals(many.size(), got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(bytes(i * 2L, 1)[0], got[i], "byte " + i);
            }
        }
    }

    @Test
    void giftNeedsPageAlignedMemoryAndLength() throws Exception {
        List<IoVec> unaligned = List.of(memory.slice(100, 4096));
        assertEquals(4096, rawVmsplice(sinkFd(), unaligned, SpliceFlag.GIFT.value()),
                "the kernel no longer checks GIFT alignment");
        byte[] drained = new byte[4096];
        assertEquals(4096, pipe.source().read(ByteBuffer.wrap(drained)));

        PipeException e = expectErrno(Errno.EINVAL, () -> pipe.sink().vmsplice(unaligned, SpliceFlag.GIFT));
        assertTrue(e.getMessage().contains("GIFT"), e.getMessage());
        expectErrno(Errno.EINVAL, () -> pipe.sink().vmsplice(List.of(memory.slice(0, 100)), SpliceFlag.GIFT));
        expectErrno(Errno.EINVAL, () -> pipe.sink().vmspliceFully(List.of(memory.slice(PAGE, PAGE), memory.slice(1, PAGE)),
                SpliceFlag.GIFT));
        assertEquals(0, pipe.sink().queued(), "nothing reached the pipe");

        assertEquals(2 * PAGE, pipe.sink().vmsplice(List.of(memory.slice(0, PAGE), memory.slice(3 * PAGE, PAGE)),
                SpliceFlag.GIFT));
        assertEquals(2 * PAGE, pipe.sink().queued());
    }

    @Test
    void sixteenOneByteSegmentsFillADefaultPipe() throws IOException {
        assertEquals(65536, pipe.sink().capacity());
        assertEquals(16, pipe.sink().vmsplice(oneByteSegments(17)), "one slot per segment, 16 slots");
        assertEquals(16, pipe.sink().queued());
        assertEquals(0, pipe.sink().vmsplice(oneByteSegments(1), SpliceFlag.NONBLOCK), "the pipe is full");
        byte[] got = new byte[64];
        assertEquals(16, pipe.source().read(ByteBuffer.wrap(got)));
        for (int i = 0; i < 16; i++) {
            assertEquals(bytes(i * 2L, 1)[0], got[i]);
        }
    }

    @Test
    void fullPipeWithNonblockReturnsZero() throws IOException {
        assertEquals(65536, pipe.sink().vmsplice(List.of(memory.slice(0, 65536))));
        assertEquals(-Errno.EAGAIN.code(), rawVmsplice(sinkFd(), List.of(memory.slice(0, 10)), SpliceFlag.NONBLOCK.value()));
        assertEquals(0, pipe.sink().vmsplice(List.of(memory.slice(0, 10)), SpliceFlag.NONBLOCK));
        assertEquals(65536, pipe.sink().queued());
    }

    @Test
    void fullPipeBlockingWaitsOnceThenReturnsPartially() throws Exception {
        assertEquals(65536, pipe.sink().vmsplice(List.of(memory.slice(0, 65536))));
        Thread reader = new Thread(() -> {
            try {
                Thread.sleep(200);
                ByteBuffer page = ByteBuffer.allocateDirect((int) PAGE);
                while (page.hasRemaining()) {
                    pipe.source().read(page);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        reader.start();
        long moved = pipe.sink().vmsplice(List.of(memory.slice(0, 4 * PAGE)));
        reader.join();
        assertEquals(PAGE, moved, "one slot freed, one page moved, then the call returned");
    }

    @Test
    void noReaderLeftIsEpipe() throws IOException {
        pipe.source().close();
        PipeException e = expectErrno(Errno.EPIPE, () -> pipe.sink().vmsplice(List.of(memory.slice(0, 10))));
        assertTrue(e.getMessage().startsWith("vmsplice(fd=" + sinkFd() + ", segments=1, flags=[])"), e.getMessage());
        expectErrno(Errno.EPIPE, () -> pipe.sink().vmspliceFully(List.of(memory.slice(0, 10))));
    }

    @Test
    void descriptorsThatAreNotAPipesWriteEndAreEbadf(@TempDir Path dir) throws IOException {
        List<IoVec> data = List.of(memory.slice(0, 10));
        int file = TestNatives.open(Files.createFile(dir.resolve("f")).toString(),
                TestNatives.O_WRONLY | TestNatives.O_CLOEXEC, 0);
        assertTrue(file >= 0);
        int[] sockets = new int[2];
        assertEquals(0, TestNatives.socketpair(TestNatives.AF_UNIX, TestNatives.SOCK_STREAM, 0, sockets));
        // A closed descriptor far above the ones in use, so that nothing reopens the number meanwhile.
        int devNull = TestNatives.open("/dev/null", TestNatives.O_WRONLY, 0);
        int closed = TestNatives.fcntl(devNull, 0 /* F_DUPFD */, 900);
        assertTrue(closed >= 900);
        assertEquals(0, TestNatives.close(closed));
        assertEquals(0, TestNatives.close(devNull));

        for (int fd : new int[] {file, sockets[0], -1, closed}) {
            expectErrno(Errno.EBADF, () -> Pipes.sink(fd).vmsplice(data));
        }
        TestNatives.close(sockets[1]);
    }

    @Test
    void theKernelReadsWhenVmspliceIsGivenAReadEndSoASinkOverOneRefusesIt() throws Exception {
        int readEnd = ((org.jsplice.internal.linux.LinuxPipeEnd) pipe.source()).fd();
        int writeEnd = sinkFd();
        // The kernel: vmsplice on a read end copies pipe data INTO the segments.
        assertEquals(4, pipe.sink().vmsplice(List.of(memory.slice(8, 4))));
        byte[] before = bytes(PAGE, 4);
        assertEquals(4, rawVmsplice(readEnd, List.of(memory.slice(PAGE, 4)), 0));
        assertArrayEquals(bytes(8, 4), bytes(PAGE, 4), "the kernel wrote pipe data into the memory");

        // jsplice: a sink over a read end (or a source over a write end) refuses vmsplice with EBADF,
        // so memory meant as the source of a write is never overwritten.
        memory.asByteBuffer(PAGE, 4).put(before);
        assertEquals(4, pipe.sink().vmsplice(List.of(memory.slice(8, 4))));
        PipeException e = expectErrno(Errno.EBADF,
                () -> Pipes.provider().sink(readEnd, false).vmsplice(List.of(memory.slice(PAGE, 4))));
        assertTrue(e.getMessage().contains("read end"), e.getMessage());
        assertArrayEquals(before, bytes(PAGE, 4), "the memory is untouched");
        assertEquals(4, pipe.sink().queued(), "the pipe data is untouched");
        expectErrno(Errno.EBADF, () -> Pipes.provider().source(writeEnd, false).vmsplice(List.of(memory.slice(PAGE, 4))));
    }

    @Test
    void unmappedMemoryIsEfaultNotACrash() throws IOException {
        long raw = TestNatives.mmap(0, PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        assertEquals(0, TestNatives.munmap(raw, PAGE));
        IoVec stale = IoVec.of(raw, PAGE);
        assertEquals(-14, rawVmsplice(sinkFd(), List.of(stale), 0));
        expectErrno(Errno.EFAULT, () -> pipe.sink().vmsplice(List.of(stale)));
        assertEquals(0, pipe.sink().queued());
    }

    /**
     * A slice kept after its buffer was closed is refused before any call, and a view kept after
     * close reads zeros and writes harmlessly: the range stays reserved while they exist, so neither
     * crashes the JVM nor reaches the bytes of a buffer mapped later.
     */
    @Test
    void aClosedBuffersSlicesAndViewsNeitherCrashNorAlias() throws IOException {
        NativeBuffer gone = Pipes.allocate(PAGE);
        long address = gone.address();
        IoVec stale = gone.slice(0, PAGE);
        java.nio.ByteBuffer view = gone.asByteBuffer();
        view.put(0, (byte) 'A');
        pipe.sink().vmspliceFully(List.of(stale));
        gone.close();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> pipe.sink().vmsplice(List.of(stale)));
        assertTrue(e.getMessage().contains("NativeBuffer is closed"), e.getMessage());
        assertEquals(PAGE, pipe.sink().queued(), "the refused call moved nothing");
        if (Pipes.provider().name().equals("ffm")) {
            // Arena memory: the views are revoked, so they throw rather than reach anything.
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> view.get(0));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> view.put(0, (byte) 'B'));
        } else {
            assertEquals(0, view.get(0), "a fresh zero page behind the kept view");
            view.put(0, (byte) 'B'); // no crash
            try (NativeBuffer next = Pipes.allocate(PAGE)) {
                assertTrue(next.address() != address, "the closed range is not handed out again while its view exists");
            }
        }
        java.nio.ByteBuffer back = java.nio.ByteBuffer.allocateDirect((int) PAGE);
        while (back.hasRemaining()) {
            pipe.source().read(back);
        }
        assertEquals('A', back.get(0), "the pipe kept the bytes it was given");
    }


    @Test
    void unknownFlagBitsAreEinvalInTheKernel() {
        assertEquals(-Errno.EINVAL.code(), rawVmsplice(sinkFd(), List.of(memory.slice(0, 10)), 0x10));
    }

    @Test
    void closedSinkThrowsClosedChannelException() throws IOException {
        PipeSink sink = pipe.sink();
        sink.close();
        sink.close();
        assertThrows(ClosedChannelException.class, () -> sink.vmsplice(List.of(memory.slice(0, 10))));
        assertThrows(ClosedChannelException.class, () -> sink.vmsplice(List.of()));
        assertThrows(ClosedChannelException.class, () -> sink.vmspliceFully(List.of(memory.slice(0, 10))));
        assertThrows(ClosedChannelException.class, sink::capacity);
        assertThrows(ClosedChannelException.class, sink::queued);
        assertThrows(ClosedChannelException.class, () -> sink.capacity(1 << 20));
    }

    @Test
    void setPipeSizeRoundsUpToAPowerOfTwoNumberOfPages() throws IOException {
        assertEquals(8 * PAGE, pipe.sink().capacity((int) (5 * PAGE + 1)));
        assertEquals(8 * PAGE, pipe.sink().capacity());
        assertEquals(1 << 20, pipe.sink().capacity(1 << 20));
        assertEquals(PAGE, pipe.sink().capacity(1));
        assertThrows(IllegalArgumentException.class, () -> pipe.sink().capacity(0));
    }

    @Test
    void setPipeSizeBelowTheQueuedDataIsEbusy() throws IOException {
        assertEquals(16 * PAGE, pipe.sink().vmsplice(List.of(memory.slice(0, 16 * PAGE))));
        expectErrno(Errno.EBUSY, () -> pipe.sink().capacity((int) PAGE));
        assertEquals(16 * PAGE, pipe.sink().queued(), "nothing was lost");
    }

    @Test
    void setPipeSizeAboveTheLimitWithoutPrivilegeIsEperm() throws IOException {
        // One buffered read: a sysctl file read one byte at a time ends after the first byte.
        int max;
        try (var in = Files.newBufferedReader(Path.of("/proc/sys/fs/pipe-max-size"))) {
            max = Integer.parseInt(in.readLine().trim());
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(hasCapability(24 /* CAP_SYS_RESOURCE */),
                "CAP_SYS_RESOURCE lifts the limit; this process has it");
        expectErrno(Errno.EPERM, () -> pipe.sink().capacity(max * 2));
    }

    private static boolean hasCapability(int cap) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << cap)) != 0;
            }
        }
        return false;
    }

    @Test
    void partialTransferIsAPrefixAndVmspliceFullyResumesInsideASegment() throws Exception {
        // 40 one-byte segments then a large one: the raw call stops at the 16-slot limit.
        List<IoVec> segments = new ArrayList<>(oneByteSegments(40));
        segments.add(memory.slice(4096, 200_000));
        long first = pipe.sink().vmsplice(segments);
        assertEquals(16, first);
        try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 20)) {
            assertEquals(40 + 200_000, pipe.sink().vmspliceFully(segments));
            pipe.sink().close();
            byte[] got = drain.await(TIMEOUT);
            byte[] expected = new byte[16 + 40 + 200_000];
            for (int i = 0; i < 16; i++) {
                expected[i] = bytes(i * 2L, 1)[0];
            }
            for (int i = 0; i < 40; i++) {
                expected[16 + i] = bytes(i * 2L, 1)[0];
            }
            System.arraycopy(bytes(4096, 200_000), 0, expected, 56, 200_000);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void nonblockingVmspliceFullyWaitsForRoomInsteadOfSpinning() throws Exception {
        try (PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 21)) {
            List<IoVec> big = Collections.nCopies(2, memory.slice(0, 1 << 20));
            assertEquals(2 << 20, pipe.sink().vmspliceFully(big, SpliceFlag.NONBLOCK));
            pipe.sink().close();
            assertEquals(2 << 20, drain.await(TIMEOUT).length);
        }
    }
}
