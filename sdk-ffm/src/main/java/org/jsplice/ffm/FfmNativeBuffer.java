package org.jsplice.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeException;
import org.jsplice.spi.Ranges;

/**
 * Anonymous private memory from {@code mmap(2)} as a {@link MemorySegment} of a shared {@link Arena}:
 * {@link #close()} closes the arena, which unmaps the memory, and every view and slice made before
 * then throws {@link IllegalStateException} when touched instead of reaching unmapped (or reused)
 * memory. Unmapping is safe for pages a pipe still holds: the pipe keeps its own references.
 * Thread-safe as {@link NativeBuffer} states.
 */
final class FfmNativeBuffer implements NativeBuffer {
    static final long HUGE_PAGE_SIZE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;

    private final Arena arena;
    private final MemorySegment segment;
    private final long address;
    private final long size;
    private final long pageSize;
    private final boolean hugePages;

    private FfmNativeBuffer(long address, long size, long mapped, boolean hugePages, long pageSize) {
        this.arena = Arena.ofShared();
        this.address = address;
        this.size = size;
        this.pageSize = pageSize;
        this.hugePages = hugePages;
        this.segment = MemorySegment.ofAddress(address).reinterpret(mapped, arena, s -> FfmRawCalls.munmap(address, mapped));
    }

    static FfmNativeBuffer map(long size, boolean huge, long pageSize) throws PipeException {
        long align = huge ? HUGE_PAGE_SIZE : pageSize;
        if (size <= 0 || size > Long.MAX_VALUE - 2 * align) {
            throw new IllegalArgumentException("size out of range: size=" + size);
        }
        long length = (size + align - 1) & -align;
        long request = huge ? length + HUGE_PAGE_SIZE : length;
        long raw = FfmRawCalls.mmap(request, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS);
        if (raw < 0 && raw > -4096) {
            throw new PipeException("mmap(length=" + request + ")", (int) -raw);
        }
        if (!huge) {
            return new FfmNativeBuffer(raw, size, length, false, pageSize);
        }
        long start = (raw + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
        if (start > raw) {
            FfmRawCalls.munmap(raw, start - raw);
        }
        long end = raw + request;
        if (end > start + length) {
            FfmRawCalls.munmap(start + length, end - (start + length));
        }
        boolean advised = FfmRawCalls.madvise(start, length, MADV_HUGEPAGE) == 0;
        return new FfmNativeBuffer(start, size, length, advised, pageSize);
    }

    private void ensureOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("NativeBuffer is closed: address=0x" + Long.toHexString(address) + " size=" + size);
        }
    }

    @Override
    public long address() {
        ensureOpen();
        return address;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean hugePages() {
        return hugePages;
    }

    @Override
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    @Override
    public ByteBuffer asByteBuffer(long offset, int length) {
        Ranges.check("view", offset, length, size);
        ensureOpen();
        return segment.asSlice(offset, length).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public IoVec slice(long offset, long length) {
        Ranges.check("slice", offset, length, size);
        ensureOpen();
        FfmNativeBuffer owner = this;
        return new IoVec() {
            @Override
            public long address() {
                return owner.address() + offset;
            }

            @Override
            public long length() {
                return length;
            }

            @Override
            public String toString() {
                return "IoVec[address=0x" + Long.toHexString(address + offset) + ", length=" + length
                        + (owner.isOpen() ? "" : ", buffer closed") + "]";
            }
        };
    }

    @Override
    public void renew(long offset, long length) throws PipeException {
        if (((offset | length) & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException("renew needs page-aligned ranges: offset=" + offset + " length=" + length
                    + " pageSize=" + pageSize);
        }
        Ranges.check("slice", offset, length, segment.byteSize());
        ensureOpen();
        int r = length == 0 ? 0 : FfmRawCalls.madvise(address + offset, length, MADV_DONTNEED);
        if (r < 0) {
            throw new PipeException("madvise(address=0x" + Long.toHexString(address + offset) + ", length=" + length
                    + ", MADV_DONTNEED)", -r);
        }
    }

    @Override
    public void close() {
        try {
            arena.close();
        } catch (IllegalStateException alreadyClosed) {
            // idempotent
        }
    }

    @Override
    public String toString() {
        return "FfmNativeBuffer[address=0x" + Long.toHexString(address) + ", size=" + size
                + (hugePages ? ", huge pages" : "") + (isOpen() ? "" : ", closed") + "]";
    }
}
