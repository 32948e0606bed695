package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.HUGE_PAGE_SIZE;
import static org.jsplice.internal.linux.Linux.MADV_DONTNEED;
import static org.jsplice.internal.linux.Linux.MADV_HUGEPAGE;
import static org.jsplice.internal.linux.Linux.MAP_ANONYMOUS;
import static org.jsplice.internal.linux.Linux.MAP_PRIVATE;
import static org.jsplice.internal.linux.Linux.PROT_READ;
import static org.jsplice.internal.linux.Linux.PROT_WRITE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeException;
import org.jsplice.internal.Cleaners;
import org.jsplice.internal.NativeMemory;
import org.jsplice.internal.Ranges;
import org.jsplice.spi.SystemCalls;

/**
 * Anonymous private memory from {@code mmap(2)}, the same for every provider: the size check, the
 * rounding to pages or to 2 MiB huge pages (mapping one huge page more and trimming both ends, then
 * {@code madvise(MADV_HUGEPAGE)}), {@link #renew}, the views (slices of one root view, made on
 * first use) and the slices, which name their buffer so that they fail once it is closed. Each
 * buffer counts its mapped length in {@link NativeMemory#PROCESS} until it is closed or unmapped
 * ({@link #shareOf}), and {@link #map} first makes room for it there: where dropped buffers and
 * writers hold more than the limit, it has the cleaner give their memory back before mapping more.
 *
 * <p>A provider contributes the view lifetime only: how a root view is made ({@link #newView}),
 * what {@link #close()} does to the range and the views made before ({@link #closeMapping()}),
 * and what unmaps the range once the buffer and its root views are unreachable (the {@code
 * release} action given to the constructor, which a cleaner runs and which must not name the
 * buffer). Thread-safe as {@link NativeBuffer} states.
 */
public abstract class MappedBuffer implements NativeBuffer {
    /** The system calls that mapped the range, and that renew and unmap it. */
    protected final SystemCalls raw;
    private final long address;
    private final long size;
    private final long length;
    private final boolean hugePages;
    private final long pageSize;
    private final Holders holders;
    private final NativeMemory.Share share = NativeMemory.PROCESS.share();
    /** The view every other view is a slice of; made on first use for buffers up to 2 GiB. */
    private volatile ByteBuffer root;

    /** What {@code mmap(2)} gave, rounded and aligned: the range to wrap. */
    public static final class Range {
        /** The first byte, page-aligned (2 MiB-aligned for huge pages). */
        public final long address;
        /** The mapped length: the size rounded up to whole pages, or whole huge pages. */
        public final long length;
        /** The usable size, as asked for. */
        public final long size;
        /** Whether the kernel accepted {@code madvise(MADV_HUGEPAGE)}. */
        public final boolean hugePages;

        Range(long address, long length, long size, boolean hugePages) {
            this.address = address;
            this.length = length;
            this.size = size;
            this.hugePages = hugePages;
        }
    }

    /**
     * Maps {@code size} bytes rounded up to whole pages, or to whole 2 MiB huge pages, once {@link
     * NativeMemory#makeRoom} has made room for them.
     *
     * @param raw the provider's calls
     * @param size the usable size
     * @param huge whether to align to huge pages and ask for them
     * @return the range
     * @throws PipeException if {@code mmap(2)} fails
     * @throws IllegalArgumentException if {@code size} is not positive or too large to round up
     */
    public static Range map(SystemCalls raw, long size, boolean huge) throws PipeException {
        long align = huge ? HUGE_PAGE_SIZE : raw.pageSize();
        if (size <= 0 || size > Long.MAX_VALUE - 2 * align) {
            throw new IllegalArgumentException("size out of range: size=" + size);
        }
        long length = roundUp(size, align);
        NativeMemory.PROCESS.makeRoom(length);
        // A huge page must start on a 2 MiB boundary: map one huge page more, then trim both ends.
        long request = huge ? length + HUGE_PAGE_SIZE : length;
        long mapped = raw.mmap(request, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (mapped < 0) {
            throw new PipeException("mmap(length=" + request + ")", (int) -mapped);
        }
        if (!huge) {
            return new Range(mapped, length, size, false);
        }
        long start = roundUp(mapped, HUGE_PAGE_SIZE);
        unmapIfAny(raw, mapped, start - mapped);
        unmapIfAny(raw, start + length, mapped + request - (start + length));
        boolean advised = raw.madvise(start, length, MADV_HUGEPAGE) == 0;
        return new Range(start, length, size, advised);
    }

    private static void unmapIfAny(SystemCalls raw, long address, long length) {
        if (length > 0) {
            raw.munmap(address, length);
        }
    }

    private static long roundUp(long value, long align) {
        return (value + align - 1) & -align;
    }

    /**
     * Wraps a range; {@code release} runs once this buffer and every root view from {@link
     * #newView} are unreachable (or never, if the JVM exits first).
     *
     * @param raw the calls that mapped it
     * @param range what {@link #map} gave
     * @param release unmaps the range, at most once; must not name this buffer
     */
    protected MappedBuffer(SystemCalls raw, Range range, Runnable release) {
        this.raw = raw;
        this.address = range.address;
        this.size = range.size;
        this.length = range.length;
        this.hugePages = range.hugePages;
        this.pageSize = raw.pageSize();
        this.holders = new Holders(release, share);
        share.add(range.length);
        Cleaners.CLEANER.register(this, holders);
    }

    /** How many holders (the buffer, its root views) still keep the range mapped. */
    private static final class Holders implements Runnable {
        final AtomicInteger count = new AtomicInteger(1);
        final Runnable release;
        final NativeMemory.Share share;

        Holders(Runnable release, NativeMemory.Share share) {
            this.release = release;
            this.share = share;
        }

        /** One holder became unreachable; the last one releases the range. */
        @Override
        public void run() {
            if (count.decrementAndGet() == 0) {
                try {
                    release.run();
                } finally {
                    share.release();
                }
            }
        }
    }

    /**
     * What {@code buffer} counts in {@link NativeMemory#PROCESS}: for a mapping of the provider
     * core, its mapped length from the start and nothing once closed or unmapped (an owner that
     * knows which pages it touches, a {@code PipeWriter}, counts those instead); for another
     * buffer, a share that counts nothing.
     *
     * @param buffer a buffer
     * @return its share
     */
    public static NativeMemory.Share shareOf(NativeBuffer buffer) {
        if (buffer instanceof MappedBuffer) {
            return ((MappedBuffer) buffer).share;
        }
        NativeMemory.Share none = NativeMemory.PROCESS.share();
        none.release();
        return none;
    }

    /**
     * Gives the pages back as the provider does ({@link #closeMapping()}), then stops counting
     * them; does nothing the second time.
     *
     * @throws IllegalStateException where the provider refuses for now (see {@link NativeBuffer#close()}):
     *     the buffer stays open and counted
     */
    @Override
    public final void close() {
        closeMapping();
        if (!isOpen()) {
            share.release();
        }
    }

    /**
     * What {@link #close()} does to the range and to the views made before; does nothing the
     * second time.
     */
    protected abstract void closeMapping();

    /**
     * A direct view of {@code length} bytes at {@code offset}, which keeps the range reachable
     * as long as it and its slices are; the caller registers it as a holder.
     *
     * @param offset where it starts
     * @param length its length
     * @return the view, in any byte order
     */
    protected abstract ByteBuffer newView(long offset, int length);

    /**
     * The mapped length: the size rounded up to whole pages.
     *
     * @return the length
     */
    protected final long mappedLength() {
        return length;
    }

    /** Throws {@link IllegalStateException} once closed. */
    protected final void ensureOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("NativeBuffer is closed: address=0x" + Long.toHexString(address) + " size=" + size);
        }
    }

    @Override
    public final long address() {
        ensureOpen();
        return address;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final boolean hugePages() {
        return hugePages;
    }

    @Override
    public final ByteBuffer asByteBuffer(long offset, int length) {
        Ranges.check("view", offset, length, size);
        ensureOpen();
        if (size > Integer.MAX_VALUE) {
            return rootView(offset, length);
        }
        ByteBuffer r = root;
        if (r == null) {
            synchronized (this) {
                r = root;
                if (r == null) {
                    r = rootView(0, (int) size);
                    root = r;
                }
            }
        }
        return r.slice((int) offset, length).order(ByteOrder.nativeOrder());
    }

    private ByteBuffer rootView(long offset, int length) {
        holders.count.incrementAndGet();
        ByteBuffer view = newView(offset, length).order(ByteOrder.nativeOrder());
        Cleaners.CLEANER.register(view, holders);
        return view;
    }

    @Override
    public final IoVec slice(long offset, long length) {
        Ranges.check("slice", offset, length, size);
        ensureOpen();
        return new Slice(this, offset, length);
    }

    /** A slice that names its buffer, so that it keeps the range reserved and fails once the buffer is closed. */
    private static final class Slice implements IoVec {
        private final MappedBuffer owner;
        private final long offset;
        private final long length;

        Slice(MappedBuffer owner, long offset, long length) {
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
    public final void renew(long offset, long length) throws PipeException {
        if (((offset | length) & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException("renew needs page-aligned ranges: offset=" + offset + " length=" + length
                    + " pageSize=" + pageSize);
        }
        Ranges.check("slice", offset, length, this.length);
        ensureOpen();
        int r = length == 0 ? 0 : raw.madvise(address + offset, length, MADV_DONTNEED);
        if (r < 0) {
            throw new PipeException("madvise(address=0x" + Long.toHexString(address + offset) + ", length=" + length
                    + ", MADV_DONTNEED)", -r);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[address=0x" + Long.toHexString(address) + ", size=" + size
                + (hugePages ? ", huge pages" : "") + (isOpen() ? "" : ", closed") + "]";
    }
}
