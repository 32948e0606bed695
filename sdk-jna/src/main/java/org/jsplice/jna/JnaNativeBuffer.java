package org.jsplice.jna;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeException;

/**
 * Anonymous private memory from {@code mmap(2)}, unmapped in {@link #close()}. Thread-safe as
 * {@link NativeBuffer} states.
 */
final class JnaNativeBuffer implements NativeBuffer {
    static final long HUGE_PAGE_SIZE = 2L << 20;

    private final long address;
    private final long size;
    private final long mapped;
    private final boolean hugePages;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private JnaNativeBuffer(long address, long size, long mapped, boolean hugePages) {
        this.address = address;
        this.size = size;
        this.mapped = mapped;
        this.hugePages = hugePages;
    }

    /** Maps {@code size} bytes rounded up to whole pages, or to whole 2 MiB huge pages. */
    static JnaNativeBuffer map(long size, boolean huge, long pageSize) throws PipeException {
        long align = huge ? HUGE_PAGE_SIZE : pageSize;
        if (size <= 0 || size > Long.MAX_VALUE - 2 * align) {
            throw new IllegalArgumentException("size out of range: size=" + size);
        }
        long length = roundUp(size, align);
        // A huge page must start on a 2 MiB boundary: map one huge page more, then trim both ends.
        long request = huge ? length + HUGE_PAGE_SIZE : length;
        long raw = LibC.mmap(0, request, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (raw == LibC.MAP_FAILED) {
            throw new PipeException("mmap(length=" + request + ")", LibC.errno());
        }
        if (!huge) {
            return new JnaNativeBuffer(raw, size, length, false);
        }
        long start = roundUp(raw, HUGE_PAGE_SIZE);
        unmapQuietly(raw, start - raw);
        unmapQuietly(start + length, raw + request - (start + length));
        boolean advised = LibC.madvise(start, length, LibC.MADV_HUGEPAGE) == 0;
        return new JnaNativeBuffer(start, size, length, advised);
    }

    private static void unmapQuietly(long address, long length) {
        if (length > 0) {
            LibC.munmap(address, length);
        }
    }

    private static long roundUp(long value, long align) {
        return (value + align - 1) & -align;
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
        return open.get();
    }

    @Override
    public ByteBuffer asByteBuffer(long offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("view out of range: offset=" + offset + " length=" + length
                    + " size=" + size);
        }
        ensureOpen();
        return new Pointer(address).getByteBuffer(offset, length).order(ByteOrder.nativeOrder());
    }

    private void ensureOpen() {
        if (!open.get()) {
            throw new IllegalStateException("NativeBuffer is closed: address=0x" + Long.toHexString(address)
                    + " size=" + size);
        }
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            LibC.munmap(address, mapped);
        }
    }

    @Override
    public String toString() {
        return "JnaNativeBuffer[address=0x" + Long.toHexString(address) + ", size=" + size
                + (hugePages ? ", huge pages" : "") + (isOpen() ? "" : ", closed") + "]";
    }
}
