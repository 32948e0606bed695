package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.HUGE_PAGE_SIZE;
import static org.jsplice.internal.linux.Linux.MADV_DONTNEED;
import static org.jsplice.internal.linux.Linux.MADV_HUGEPAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.junit.jupiter.api.Test;

/**
 * The core's memory mapping against scripted system calls: what it asks {@code mmap}, {@code
 * munmap} and {@code madvise} for each size, page kind and failure, and how its views, slices and
 * {@code renew} follow the range. The providers' view lifetimes are tested on the real kernel by
 * the test suite's {@code PipesAndMemorySuite}.
 */
class MappedBufferTest {
    private static final int PAGE = ScriptedSystemCalls.PAGE;
    private final ScriptedSystemCalls raw = new ScriptedSystemCalls();

    /** A buffer whose views are plain direct buffers, closed by a flag. */
    private static final class Buffer extends MappedBuffer {
        boolean open = true;
        int views;

        Buffer(ScriptedSystemCalls raw, Range range) {
            super(raw, range, () -> { });
        }

        @Override
        protected ByteBuffer newView(long offset, int length) {
            views++;
            return ByteBuffer.allocateDirect(length);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        protected void closeMapping() {
            open = false;
        }
    }

    @Test
    void aBufferCountsItsMappedLengthInTheProcessAccountUntilClosed() throws Exception {
        Buffer b = new Buffer(raw, MappedBuffer.map(raw, 5000, false));
        assertEquals(2 * PAGE, MappedBuffer.shareOf(b).bytes());
        b.close();
        assertEquals(0, MappedBuffer.shareOf(b).bytes());
        assertEquals(0, MappedBuffer.shareOf(null).bytes(), "a buffer of another kind counts nothing");
    }

    @Test
    void ordinaryPagesAreOneMappingRoundedUpToWholePages() throws Exception {
        MappedBuffer.Range r = MappedBuffer.map(raw, 5000, false);
        assertArrayEquals(new long[] {0, 2 * PAGE}, raw.ranges("mmap").get(0));
        assertEquals(2 * PAGE, r.length);
        assertEquals(5000, r.size);
        assertFalse(r.hugePages);
        assertTrue(raw.ranges("munmap").isEmpty() && raw.ranges("madvise").isEmpty(), raw.calls.toString());
    }

    @Test
    void hugePagesMapOneMoreAndTrimBothEndsToA2MiBBoundary() throws Exception {
        long mapped = 5 * HUGE_PAGE_SIZE + 3 * PAGE;
        raw.mmap.add(mapped);
        MappedBuffer.Range r = MappedBuffer.map(raw, HUGE_PAGE_SIZE + 1, true);
        long start = 6 * HUGE_PAGE_SIZE;
        assertEquals(start, r.address);
        assertEquals(2 * HUGE_PAGE_SIZE, r.length);
        assertArrayEquals(new long[] {0, 3 * HUGE_PAGE_SIZE}, raw.ranges("mmap").get(0));
        List<long[]> unmapped = raw.ranges("munmap");
        assertEquals(2, unmapped.size());
        assertArrayEquals(new long[] {mapped, start - mapped}, unmapped.get(0));
        assertArrayEquals(new long[] {start + r.length, mapped + 3 * HUGE_PAGE_SIZE - (start + r.length)}, unmapped.get(1));
        assertArrayEquals(new long[] {start, r.length}, raw.ranges("madvise").get(0));
        assertEquals(MADV_HUGEPAGE, raw.calls.get(raw.calls.size() - 1).flags);
        assertTrue(r.hugePages);
    }

    @Test
    void anAlignedHugeMappingTrimsTheTailOnly() throws Exception {
        raw.mmap.add(4 * HUGE_PAGE_SIZE);
        MappedBuffer.Range r = MappedBuffer.map(raw, 1, true);
        assertEquals(4 * HUGE_PAGE_SIZE, r.address);
        List<long[]> unmapped = raw.ranges("munmap");
        assertEquals(1, unmapped.size());
        assertArrayEquals(new long[] {5 * HUGE_PAGE_SIZE, HUGE_PAGE_SIZE}, unmapped.get(0));
    }

    @Test
    void aRefusedHugePageAdviceLeavesOrdinaryPages() throws Exception {
        raw.madvise.add(-Errno.EINVAL.code());
        assertFalse(MappedBuffer.map(raw, PAGE, true).hugePages);
    }

    @Test
    void aFailedMmapSaysWhatItAskedForAndWhy() {
        raw.mmap.add((long) -Errno.ENOMEM.code());
        PipeException e = assertThrows(PipeException.class, () -> MappedBuffer.map(raw, 3 * PAGE, false));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(e.getMessage().contains("mmap(length=" + 3 * PAGE + ")"), e.getMessage());
    }

    @Test
    void sizesThatCannotBeMappedAreRefusedBeforeAnyCall() {
        for (long size : new long[] {0, -1, Long.MAX_VALUE, Long.MAX_VALUE - HUGE_PAGE_SIZE}) {
            assertThrows(IllegalArgumentException.class, () -> MappedBuffer.map(raw, size, true), "size " + size);
        }
        assertTrue(raw.calls.isEmpty(), raw.calls.toString());
    }

    @Test
    void renewZapsWholePagesOfTheMappingOnly() throws Exception {
        Buffer b = new Buffer(raw, MappedBuffer.map(raw, 5000, false));
        long address = b.address();
        b.renew(PAGE, PAGE);
        assertArrayEquals(new long[] {address + PAGE, PAGE}, raw.ranges("madvise").get(0));
        assertEquals(MADV_DONTNEED, raw.calls.get(raw.calls.size() - 1).flags);
        assertThrows(IllegalArgumentException.class, () -> b.renew(1, PAGE));
        assertThrows(IllegalArgumentException.class, () -> b.renew(0, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> b.renew(2 * PAGE, PAGE));
        raw.madvise.add(-Errno.EINVAL.code());
        PipeException e = assertThrows(PipeException.class, () -> b.renew(0, PAGE));
        assertEquals(Errno.EINVAL, e.errno());
        b.renew(0, 0);
        assertEquals(2, raw.ranges("madvise").size(), "an empty range asks nothing");
    }

    @Test
    void viewsAreSlicesOfOneRootAndSlicesFailOnceClosed() throws Exception {
        Buffer b = new Buffer(raw, MappedBuffer.map(raw, 3 * PAGE, false));
        ByteBuffer whole = b.asByteBuffer();
        ByteBuffer part = b.asByteBuffer(PAGE, 10);
        assertEquals(1, b.views, "one root view");
        assertEquals(10, part.capacity());
        assertEquals(whole.order(), part.order());
        IoVec slice = b.slice(PAGE, 2 * PAGE).slice(PAGE, PAGE);
        assertEquals(b.address() + 2 * PAGE, slice.address());
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(PAGE, 2 * PAGE + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> b.asByteBuffer(3 * PAGE, 1));
        b.close();
        assertThrows(IllegalStateException.class, slice::address);
        assertThrows(IllegalStateException.class, () -> b.slice(0, 1));
        assertThrows(IllegalStateException.class, () -> b.renew(0, PAGE));
        assertTrue(slice.toString().contains("buffer closed"), slice.toString());
        assertEquals(3L * PAGE, b.size(), "the size stays readable");
    }
}
