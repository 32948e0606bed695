package org.jsplice;

import static org.jsplice.internal.linux.Linux.HUGE_PAGE_SIZE;

import org.jsplice.PipeWriter.Mode;
import org.jsplice.PipeWriter.Policy;

/**
 * How a {@link PipeWriter} lays out its memory: the mode, the size of the memory and whether it
 * asks for huge pages, the renewal unit and the regions. {@link #choose} decides it from what was
 * asked and what the system offers, without touching the system, so that every branch can be
 * tested; the writer then allocates. Immutable.
 */
final class WriterLayout {
    /** The fresh memory a {@link Mode#FRESH_PAGES} writer cycles through, as {@code safewriter.c}'s batches. */
    static final long FRESH_ARENA = 16L << 20;
    static final int COPY_SLOTS = 4;
    /**
     * The smallest copying memory that asks for huge pages: a smaller one would have a whole 2 MiB
     * page zeroed for it. Measured, building and closing a copying writer (300 times, two runs):
     * 16 KiB of memory took 42 to 79 µs on 4 KiB pages against 150 to 258 on a huge page, 64 KiB 141
     * against 272, 256 KiB 233 to 356 against 134 to 237, 1 MiB 706 against 130.
     */
    static final long MIN_HUGE_COPY = HUGE_PAGE_SIZE / 8;
    static final int MIN_RING_SLOTS = 4;

    final Mode mode;
    /** The bytes to allocate. */
    final long size;
    /** Whether to ask for huge pages. */
    final boolean huge;
    /** What one renewal frees (a {@link Mode#FRESH_PAGES} unit), else the whole memory. */
    final long unitSize;
    /** Regions per unit. */
    final int perUnit;
    final int slots;
    /**
     * The layout to take instead when the memory asked with huge pages came without them, or null:
     * fresh 4 KiB pages cost more to fault in than copying, so the writer copies.
     */
    final WriterLayout withoutHugePages;

    private WriterLayout(Mode mode, long size, boolean huge, long unitSize, int perUnit, int slots, WriterLayout fallback) {
        this.mode = mode;
        this.size = checkSize(size);
        this.huge = huge;
        this.unitSize = unitSize;
        this.perUnit = perUnit;
        this.slots = slots;
        this.withoutHugePages = fallback;
    }

    /**
     * The layout for what was asked.
     *
     * @param policy the policy
     * @param asked the mode asked for, or null for the writer's choice
     * @param regionSize the region size, a multiple of the page size
     * @param pipeCapacity the pipe's capacity as granted
     * @param ringSize the {@link Policy#RECYCLE} ring asked for, or 0 for twice the pipe
     * @param hugePages whether huge pages were asked for
     * @param transparentHugePages whether the kernel offers them
     * @param semantics what this kernel's {@code vmsplice} does, for {@link Policy#SAFE}; null where not asked
     * @return the layout
     */
    static WriterLayout choose(Policy policy, Mode asked, long regionSize, int pipeCapacity, long ringSize,
            boolean hugePages, boolean transparentHugePages, VmspliceSemantics semantics) {
        if (policy == Policy.RECYCLE) {
            long ring = ringSize > 0 ? ringSize : 2L * pipeCapacity;
            int slots = (int) Math.max(MIN_RING_SLOTS, (ring + regionSize - 1) / regionSize);
            long size = (long) slots * regionSize;
            return new WriterLayout(Mode.RING, size, hugePages, size, slots, slots, null);
        }
        // Where vmsplice copies, fresh pages would only be zeroed to be copied from: copy at once,
        // with vmsplice where it runs, with writev where it is refused.
        Mode chosen = semantics == VmspliceSemantics.COPIES ? Mode.KERNEL_COPIES
                : semantics == VmspliceSemantics.REFUSED ? Mode.COPY : asked;
        long copySize = COPY_SLOTS * regionSize;
        WriterLayout copy = new WriterLayout(chosen == Mode.KERNEL_COPIES || chosen == Mode.COPY ? chosen : Mode.COPY,
                copySize, hugePages && copySize >= MIN_HUGE_COPY, copySize, COPY_SLOTS, COPY_SLOTS, null);
        if (chosen != null && chosen != Mode.FRESH_PAGES) {
            return copy;
        }
        if (hugePages && transparentHugePages) {
            // A unit is what one renewal frees: whole huge pages, so that no huge page is split.
            long unit = (regionSize + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
            int units = (int) Math.max(2, FRESH_ARENA / unit);
            int perUnit = (int) (unit / regionSize);
            return new WriterLayout(Mode.FRESH_PAGES, units * unit, true, unit, perUnit, units * perUnit,
                    chosen == Mode.FRESH_PAGES ? null : copy);
        }
        if (chosen == Mode.FRESH_PAGES) {
            int slots = (int) Math.max(2, FRESH_ARENA / regionSize);
            return new WriterLayout(Mode.FRESH_PAGES, (long) slots * regionSize, false, regionSize, 1, slots, null);
        }
        return copy;
    }

    private static long checkSize(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("writer memory too large: size=" + size + " max=" + Integer.MAX_VALUE);
        }
        return size;
    }

    @Override
    public String toString() {
        return "WriterLayout[" + mode + ", size=" + size + (huge ? ", huge" : "") + ", unit=" + unitSize + ", perUnit=" + perUnit
                + ", slots=" + slots + (withoutHugePages == null ? "" : ", else " + withoutHugePages) + "]";
    }
}
