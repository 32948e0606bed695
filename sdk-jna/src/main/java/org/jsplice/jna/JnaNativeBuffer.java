package org.jsplice.jna;

import static org.jsplice.internal.linux.Linux.HUGE_PAGE_SIZE;
import static org.jsplice.internal.linux.Linux.MADV_DONTNEED;
import static org.jsplice.internal.linux.Linux.MADV_HUGEPAGE;
import static org.jsplice.internal.linux.Linux.MAP_ANONYMOUS;
import static org.jsplice.internal.linux.Linux.MAP_FAILED;
import static org.jsplice.internal.linux.Linux.MAP_PRIVATE;
import static org.jsplice.internal.linux.Linux.PROT_READ;
import static org.jsplice.internal.linux.Linux.PROT_WRITE;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import com.sun.jna.Pointer;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeException;
import org.jsplice.internal.Ranges;

/**
 * Anonymous private memory from {@code mmap(2)}. Thread-safe as {@link NativeBuffer} states.
 *
 * <p>{@link #close()} zaps the pages ({@code MADV_DONTNEED}) but leaves the range mapped: a
 * {@link ByteBuffer} cannot be revoked, and touching an unmapped one crashes the JVM, while an
 * address that is unmapped early can be handed to the next {@code mmap}, so that a stale view or
 * slice would reach another buffer's bytes. The range is unmapped by a {@link Cleaner} once the
 * buffer object and its root view (which every view derives from, and so keeps reachable) are both
 * unreachable; slices refer to the buffer object.
 */
final class JnaNativeBuffer implements NativeBuffer {
    private static final Cleaner UNMAPPER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jsplice-unmapper");
        t.setDaemon(true);
        return t;
    });

    /**
     * The ranges of closed buffers that views still keep mapped, start to end: a read into such a
     * view would take bytes out of the pipe into memory nobody sees, so the provider refuses it.
     */
    private static final ConcurrentSkipListMap<Long, Long> CLOSED = new ConcurrentSkipListMap<>();

    private final long address;
    private final long size;
    private final long pageSize;
    private final boolean hugePages;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Mapping mapping;
    /** The view every other view is a slice of; made on first use for buffers up to 2 GiB. */
    private volatile ByteBuffer root;

    /** The range and how many holders (the buffer, its root views) still keep it mapped. */
    private static final class Mapping implements Runnable {
        final long address;
        final long length;
        final AtomicInteger holders = new AtomicInteger(1);

        Mapping(long address, long length) {
            this.address = address;
            this.length = length;
        }

        /** One holder became unreachable. */
        @Override
        public void run() {
            if (holders.decrementAndGet() == 0) {
                CLOSED.remove(address); // before the range can be mapped again
                LibC.munmap(address, length);
            }
        }
    }

    private JnaNativeBuffer(long address, long size, long mapped, boolean hugePages, long pageSize) {
        this.address = address;
        this.size = size;
        this.pageSize = pageSize;
        this.hugePages = hugePages;
        this.mapping = new Mapping(address, mapped);
        UNMAPPER.register(this, mapping);
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
        long raw = LibC.mmap(0, request, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) {
            throw new PipeException("mmap(length=" + request + ")", LibC.errno());
        }
        if (!huge) {
            return new JnaNativeBuffer(raw, size, length, false, pageSize);
        }
        long start = roundUp(raw, HUGE_PAGE_SIZE);
        unmapQuietly(raw, start - raw);
        unmapQuietly(start + length, raw + request - (start + length));
        boolean advised = LibC.madvise(start, length, MADV_HUGEPAGE) == 0;
        return new JnaNativeBuffer(start, size, length, advised, pageSize);
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
        Ranges.check("view", offset, length, size);
        ensureOpen();
        if (size > Integer.MAX_VALUE) {
            return newRoot(offset, length);
        }
        ByteBuffer r = root;
        if (r == null) {
            synchronized (this) {
                r = root;
                if (r == null) {
                    r = newRoot(0, (int) size);
                    root = r;
                }
            }
        }
        return r.slice((int) offset, length).order(ByteOrder.nativeOrder());
    }

    /** A view made by JNA (JNI), which holds the mapping until it is unreachable. */
    private ByteBuffer newRoot(long offset, int length) {
        mapping.holders.incrementAndGet();
        ByteBuffer view = new Pointer(address).getByteBuffer(offset, length).order(ByteOrder.nativeOrder());
        UNMAPPER.register(view, mapping);
        return view;
    }

    @Override
    public IoVec slice(long offset, long length) {
        Ranges.check("slice", offset, length, size);
        ensureOpen();
        return new Slice(this, offset, length);
    }

    /** A slice that names its buffer, so that it keeps the range reserved and fails once the buffer is closed. */
    private static final class Slice implements IoVec {
        private final JnaNativeBuffer owner;
        private final long offset;
        private final long length;

        Slice(JnaNativeBuffer owner, long offset, long length) {
            this.owner = owner;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long address() {
            return owner.address() + offset;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public IoVec slice(long offset, long length) {
            Ranges.check("slice", offset, length, this.length);
            return owner.slice(this.offset + offset, length);
        }

        @Override
        public String toString() {
            return "IoVec[address=0x" + Long.toHexString(owner.address + offset) + ", length=" + length
                    + (owner.isOpen() ? "" : ", buffer closed") + "]";
        }
    }

    @Override
    public void renew(long offset, long length) throws PipeException {
        if (((offset | length) & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException("renew needs page-aligned ranges: offset=" + offset + " length=" + length
                    + " pageSize=" + pageSize);
        }
        Ranges.check("slice", offset, length, mapping.length);
        ensureOpen();
        if (length > 0 && LibC.madvise(address + offset, length, MADV_DONTNEED) != 0) {
            throw new PipeException("madvise(address=0x" + Long.toHexString(address + offset) + ", length=" + length
                    + ", MADV_DONTNEED)", LibC.errno());
        }
    }

    /**
     * Refuses an address inside a closed buffer that a view still keeps mapped.
     *
     * @throws IllegalStateException if {@code address} is such an address
     */
    static void checkNotClosed(long address) {
        if (CLOSED.isEmpty()) {
            return;
        }
        Map.Entry<Long, Long> e = CLOSED.floorEntry(address);
        if (e != null && address < e.getValue()) {
            throw new IllegalStateException("a view of a closed NativeBuffer: address=0x" + Long.toHexString(address)
                    + " is in the closed buffer at 0x" + Long.toHexString(e.getKey()));
        }
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
            CLOSED.put(mapping.address, mapping.address + mapping.length);
            LibC.madvise(address, mapping.length, MADV_DONTNEED);
        }
    }

    @Override
    public String toString() {
        return "JnaNativeBuffer[address=0x" + Long.toHexString(address) + ", size=" + size
                + (hugePages ? ", huge pages" : "") + (isOpen() ? "" : ", closed") + "]";
    }
}
