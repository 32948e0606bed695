package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.linux.Linux;
import org.jsplice.spi.FileType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipes, the read end, native memory and segments from direct buffers, on the real kernel. */
public abstract class PipesAndMemorySuite extends ProviderSuite {
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;

    @Test
    void pipesAreCloseOnExecAndNonBlockingOnRequest() throws IOException {
        try (Pipe blocking = Pipes.open(); Pipe nonblocking = Pipes.open(PipeOption.NONBLOCKING)) {
            for (Pipe p : List.of(blocking, nonblocking)) {
                for (int fd : new int[] {((org.jsplice.internal.linux.LinuxPipeEnd) p.source()).fd(), ((org.jsplice.internal.linux.LinuxPipeEnd) p.sink()).fd()}) {
                    assertEquals(FD_CLOEXEC, TestNatives.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC, "O_CLOEXEC on fd " + fd);
                    assertEquals(p == nonblocking, (TestNatives.fcntl(fd, Linux.F_GETFL, 0) & Linux.O_NONBLOCK) != 0);
                }
            }
            assertEquals(0, nonblocking.source().read(ByteBuffer.allocateDirect(10)), "empty, non-blocking: 0");
            assertEquals(FileType.FIFO, Pipes.provider().fileType(((org.jsplice.internal.linux.LinuxPipeEnd) blocking.sink()).fd()));
        }
    }

    @Test
    void readFillsHeapAndDirectBuffersAndReportsEndOfStream() throws IOException {
        try (Pipe pipe = Pipes.open(); NativeBuffer memory = Pipes.allocate(100_000)) {
            ByteBuffer view = memory.asByteBuffer();
            for (int i = 0; i < 100_000; i++) {
                view.put(i, (byte) i);
            }
            pipe.sink().capacity(1 << 20);
            assertEquals(100_000, pipe.sink().vmsplice(List.of(memory.slice(0, 100_000))));
            assertEquals(100_000, pipe.source().queued());
            ByteBuffer heap = ByteBuffer.allocate(70_000);
            heap.position(3);
            int n = pipe.source().read(heap);
            assertTrue(n > 0 && n <= 69_997, "n=" + n);
            assertEquals(3 + n, heap.position());
            for (int i = 0; i < n; i++) {
                assertEquals((byte) i, heap.get(3 + i));
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(200_000);
            while (direct.position() < 100_000 - n) {
                assertTrue(pipe.source().read(direct) > 0);
            }
            for (int i = 0; i < 100_000 - n; i++) {
                assertEquals((byte) (n + i), direct.get(i));
            }
            assertEquals(0, pipe.source().read(ByteBuffer.allocate(0)), "no room: 0");
            pipe.sink().close();
            assertEquals(-1, pipe.source().read(direct.clear()));
        }
    }

    @Test
    void aReadIntoAViewOfAClosedBufferIsRefusedAndLeavesTheBytesInThePipe() throws IOException {
        try (Pipe pipe = Pipes.open()) {
            pipe.sink().writeFully(List.of(Pipes.ioVec(ByteBuffer.allocateDirect(100).put(0, (byte) 42))));
            NativeBuffer memory = Pipes.allocate(8192);
            ByteBuffer view = memory.asByteBuffer();
            ByteBuffer part = view.slice(4096, 100);
            memory.close();
            assertThrows(IllegalStateException.class, () -> pipe.source().read(view));
            assertThrows(IllegalStateException.class, () -> pipe.source().read(part));
            assertThrows(IllegalStateException.class, () -> Pipes.ioVec(part));
            assertEquals(100, pipe.source().queued(), "nothing left the pipe");
            ByteBuffer live = ByteBuffer.allocateDirect(100);
            assertEquals(100, pipe.source().read(live));
            assertEquals(42, live.get(0));
        }
    }

    @Test
    void theReadDirectionCopiesPipeDataIntoTheSegments() throws IOException {
        try (Pipe pipe = Pipes.open(); NativeBuffer memory = Pipes.allocate(8192)) {
            ByteBuffer view = memory.asByteBuffer();
            view.put(0, new byte[] {1, 2, 3, 4, 5});
            pipe.sink().vmsplice(List.of(memory.slice(0, 5)));
            assertEquals(5, pipe.source().vmsplice(List.of(memory.slice(4096, 2), memory.slice(5000, 10))));
            assertEquals(1, view.get(4096));
            assertEquals(2, view.get(4097));
            assertEquals(3, view.get(5000));
            assertEquals(5, view.get(5002));
            assertEquals(0, pipe.source().vmsplice(List.of(memory.slice(0, 1)), SpliceFlag.NONBLOCK), "empty: 0");
            pipe.sink().close();
            assertEquals(0, pipe.source().vmsplice(List.of(memory.slice(0, 1))), "end of stream: 0");
        }
    }

    @Test
    void nativeBuffersArePageAlignedBoundsCheckedAndCloseOnce() throws IOException {
        long page = Pipes.provider().pageSize();
        NativeBuffer b = Pipes.allocate(10_000);
        assertEquals(0, b.address() % page);
        assertEquals(10_000, b.size());
        assertEquals(10_000, b.asByteBuffer().capacity());
        assertEquals(b.address() + 10, b.slice(10, 20).address());
        assertEquals(20, b.slice(10, 20).length());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.slice(9_990, 11));
        assertEquals("slice out of range: offset=9990 length=11 size=10000", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> b.asByteBuffer(9_000, 1_001));
        assertThrows(IndexOutOfBoundsException.class, () -> b.asByteBuffer(-1, 1));
        assertTrue(b.isOpen());
        b.close();
        b.close();
        assertFalse(b.isOpen());
        assertThrows(IllegalStateException.class, b::address);
        assertThrows(IllegalStateException.class, () -> b.slice(0, 1));
        assertThrows(IllegalStateException.class, b::asByteBuffer);
        assertThrows(IllegalArgumentException.class, () -> Pipes.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> Pipes.allocate(-1));
    }

    @Test
    void aBufferLargerThanOneByteBufferOffersRangedViews() throws IOException {
        // Address space only: nothing is touched but one page at the far end.
        try (NativeBuffer big = Pipes.allocate(3L << 30)) {
            assertThrows(UnsupportedOperationException.class, big::asByteBuffer);
            ByteBuffer tail = big.asByteBuffer((3L << 30) - 4096, 4096);
            tail.put(4095, (byte) 9);
            assertEquals(9, tail.get(4095));
        }
    }

    @Test
    void hugePageBuffersAreAlignedTo2MiBAndCarryData() throws Exception {
        try (NativeBuffer huge = Pipes.allocateHuge(3 << 20); Pipe pipe = Pipes.open()) {
            assertEquals(0, huge.address() % (2 << 20), "2 MiB aligned");
            assertEquals(3 << 20, huge.size());
            String thp = thpMode();
            if (!thp.isEmpty()) {
                assertTrue(huge.hugePages(), "THP is configured (" + thp + "): madvise must be accepted");
            }
            huge.asByteBuffer().put(0, (byte) 7).put((3 << 20) - 1, (byte) 8);
            pipe.sink().vmsplice(List.of(huge.slice(0, 1), huge.slice((3 << 20) - 1, 1)));
            byte[] got = new byte[2];
            assertEquals(2, pipe.source().read(ByteBuffer.wrap(got)));
            assertArrayEquals(new byte[] {7, 8}, got);
        }
    }

    private static String thpMode() throws IOException {
        Path p = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.exists(p) ? Files.readString(p).trim() : "";
    }

    @Test
    void aDirectBufferBecomesASegmentFromPositionToLimit() throws IOException {
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        for (int i = 0; i < 100; i++) {
            direct.put(i, (byte) (100 + i));
        }
        direct.position(10).limit(30);
        IoVec v = Pipes.ioVec(direct);
        assertEquals(20, v.length());
        try (Pipe pipe = Pipes.open()) {
            assertEquals(20, pipe.sink().vmsplice(List.of(v)));
            byte[] got = new byte[20];
            assertEquals(20, pipe.source().read(ByteBuffer.wrap(got)));
            for (int i = 0; i < 20; i++) {
                assertEquals((byte) (110 + i), got[i]);
            }
        }
    }

    @Test
    void fileTypesComeFromStatx(@TempDir Path dir) throws IOException {
        int file = TestNatives.open(Files.createFile(dir.resolve("f")).toString(), TestNatives.O_WRONLY, 0);
        int devNull = TestNatives.open("/dev/null", TestNatives.O_WRONLY | TestNatives.O_CLOEXEC, 0);
        try {
            assertEquals(FileType.REGULAR, Pipes.provider().fileType(file));
            assertEquals(FileType.CHARACTER_DEVICE, Pipes.provider().fileType(devNull));
        } finally {
            TestNatives.close(file);
            TestNatives.close(devNull);
        }
        org.jsplice.PipeException e = assertThrows(org.jsplice.PipeException.class, () -> Pipes.provider().fileType(-1));
        assertEquals(org.jsplice.Errno.EBADF, e.errno());
    }

    /** renew gives fresh zero pages and leaves the pipe's copy alone. */
    @Test
    void renewGivesFreshPagesWithoutTouchingThePipe() throws IOException {
        long page = Pipes.provider().pageSize();
        try (org.jsplice.Pipe pipe = Pipes.open(); NativeBuffer b = Pipes.allocate(4 * page)) {
            java.nio.ByteBuffer view = b.asByteBuffer();
            view.put(0, (byte) 7).put((int) page, (byte) 8);
            pipe.sink().vmspliceFully(java.util.List.of(b.slice(0, page)));
            b.renew(0, page);
            assertEquals(0, view.get(0), "a fresh zero page");
            assertEquals(8, view.get((int) page), "outside the range nothing changed");
            view.put(0, (byte) 9);
            java.nio.ByteBuffer back = java.nio.ByteBuffer.allocateDirect(1);
            pipe.source().read(back);
            assertEquals(7, back.get(0), "the pipe kept the old page");
            assertThrows(IllegalArgumentException.class, () -> b.renew(1, page));
            assertThrows(IndexOutOfBoundsException.class, () -> b.renew(0, 8 * page));
            assertThrows(IndexOutOfBoundsException.class, () -> b.renew(-page, page));
            b.close();
            assertThrows(IllegalStateException.class, () -> b.renew(0, page));
        }
    }
}
