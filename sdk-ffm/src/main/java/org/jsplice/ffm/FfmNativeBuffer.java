package org.jsplice.ffm;

import static org.jsplice.internal.linux.Linux.HUGE_PAGE_SIZE;
import static org.jsplice.internal.linux.Linux.MADV_DONTNEED;
import static org.jsplice.internal.linux.Linux.MADV_HUGEPAGE;
import static org.jsplice.internal.linux.Linux.MAP_ANONYMOUS;
import static org.jsplice.internal.linux.Linux.MAP_PRIVATE;
import static org.jsplice.internal.linux.Linux.PROT_READ;
import static org.jsplice.internal.linux.Linux.PROT_WRITE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeException;
import org.jsplice.internal.Ranges;

/**
 * Anonymous private memory from {@code mmap(2)} as a {@link MemorySegment} of a shared {@link Arena}:
 * {@link #close()} closes the arena, which unmaps the memory, and every view and slice made before
 * then throws {@link IllegalStateException} when touched instead of reaching unmapped (or reused)
 * memory. Unmapping is safe for pages a pipe still holds: the pipe keeps its own references.
 *
 * <p>While another thread's channel I/O uses one of its views (a {@code FileChannel.read} into it,
 * say), the JDK refuses to close the arena: {@code close()} then throws {@link
 * IllegalStateException}, the buffer stays open and mapped, and a later {@code close()} does it.
 * A buffer dropped without {@code close()} is unmapped by a {@link Cleaner} once it and its views
 * are unreachable: views are slices of one root view, which the cleaner watches with the buffer.
 * Thread-safe as {@link NativeBuffer} states.
 */
final class FfmNativeBuffer implements NativeBuffer {

    private static final Cleaner UNMAPPER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jsplice-ffm-unmapper");
        t.setDaemon(true);
        return t;
    });

    private final Arena arena;
    private final MemorySegment segment;
    private final Mapping mapping;
    /** The view every other view is a slice of; made on first use for buffers up to 2 GiB. */
    private volatile ByteBuffer root;
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
        this.segment = MemorySegment.ofAddress(address).reinterpret(mapped, arena, s -> FfmSystemCalls.munmap(address, mapped));
        this.mapping = new Mapping(arena);
        UNMAPPER.register(this, mapping);
    }

    /** The arena and how many holders (the buffer, its root views) are still reachable. */
    private static final class Mapping implements Runnable {
        final Arena arena;
        final AtomicInteger holders = new AtomicInteger(1);

        Mapping(Arena arena) {
            this.arena = arena;
        }

        /** One holder became unreachable: the last one closes the arena, unless close() did. */
        @Override
        public void run() {
            if (holders.decrementAndGet() == 0 && arena.scope().isAlive()) {
                try {
                    arena.close();
                } catch (IllegalStateException closedMeanwhile) {
                    // close() won the race
                }
            }
        }
    }

    static FfmNativeBuffer map(long size, boolean huge, long pageSize) throws PipeException {
        long align = huge ? HUGE_PAGE_SIZE : pageSize;
        if (size <= 0 || size > Long.MAX_VALUE - 2 * align) {
            throw new IllegalArgumentException("size out of range: size=" + size);
        }
        long length = (size + align - 1) & -align;
        long request = huge ? length + HUGE_PAGE_SIZE : length;
        long raw = FfmSystemCalls.mmap(request, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (raw < 0 && raw > -4096) {
            throw new PipeException("mmap(length=" + request + ")", (int) -raw);
        }
        if (!huge) {
            return new FfmNativeBuffer(raw, size, length, false, pageSize);
        }
        long start = (raw + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
        if (start > raw) {
            FfmSystemCalls.munmap(raw, start - raw);
        }
        long end = raw + request;
        if (end > start + length) {
            FfmSystemCalls.munmap(start + length, end - (start + length));
        }
        boolean advised = FfmSystemCalls.madvise(start, length, MADV_HUGEPAGE) == 0;
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

    /** A view that holds the mapping until it is unreachable; its slices keep it reachable. */
    private ByteBuffer newRoot(long offset, int length) {
        mapping.holders.incrementAndGet();
        ByteBuffer view = segment.asSlice(offset, length).asByteBuffer().order(ByteOrder.nativeOrder());
        UNMAPPER.register(view, mapping);
        return view;
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
        int r = length == 0 ? 0 : FfmSystemCalls.madvise(address + offset, length, MADV_DONTNEED);
        if (r < 0) {
            throw new PipeException("madvise(address=0x" + Long.toHexString(address + offset) + ", length=" + length
                    + ", MADV_DONTNEED)", -r);
        }
    }

    /**
     * Closes the arena: the memory is unmapped and every view throws from now on.
     *
     * @throws IllegalStateException if another thread's I/O is using a view right now: the buffer
     *     then stays open and mapped, and may be closed again once that I/O has returned
     */
    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return; // idempotent
        }
        try {
            arena.close();
        } catch (IllegalStateException e) {
            if (arena.scope().isAlive()) {
                throw new IllegalStateException("NativeBuffer is in use by I/O on another thread (a channel reading or "
                        + "writing one of its views), so it stays open and mapped; close it again once that I/O has "
                        + "returned: address=0x" + Long.toHexString(address) + " size=" + size, e);
            }
            // closed meanwhile by another close(): idempotent
        }
    }

    @Override
    public String toString() {
        return "FfmNativeBuffer[address=0x" + Long.toHexString(address) + ", size=" + size
                + (hugePages ? ", huge pages" : "") + (isOpen() ? "" : ", closed") + "]";
    }
}
