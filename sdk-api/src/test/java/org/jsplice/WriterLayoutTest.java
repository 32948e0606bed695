package org.jsplice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsplice.PipeWriter.Mode;
import org.jsplice.PipeWriter.Policy;
import org.junit.jupiter.api.Test;

/** The writer's choice of mode and memory, branch by branch, without the system. */
class WriterLayoutTest {
    private static final long REGION = 256 << 10;
    private static final int PIPE = 1 << 20;

    private static final VmspliceSemantics PAGES = VmspliceSemantics.REFERENCES_PAGES;

    private static WriterLayout safe(Mode asked, boolean hugeAsked, boolean thp, VmspliceSemantics semantics) {
        return WriterLayout.choose(Policy.SAFE, asked, REGION, PIPE, 0, hugeAsked, thp, semantics);
    }

    @Test
    void theDefaultTakesFreshHugePagesInWholeHugePageUnitsAndCopiesWhereTheyAreNotGranted() {
        WriterLayout l = safe(null, true, true, PAGES);
        assertEquals(Mode.FRESH_PAGES, l.mode);
        assertTrue(l.huge);
        assertEquals(2L << 20, l.unitSize, "a unit is whole huge pages");
        assertEquals(8, l.perUnit);
        assertEquals(WriterLayout.FRESH_ARENA, l.size);
        assertEquals(64, l.slots);
        assertEquals(Mode.COPY, l.withoutHugePages.mode, "fresh 4 KiB pages cost more than a copy");
        assertEquals(WriterLayout.COPY_SLOTS * REGION, l.withoutHugePages.size);
    }

    @Test
    void withoutTransparentHugePagesOrWithoutAskingTheDefaultCopies() {
        assertEquals(Mode.COPY, safe(null, true, false, PAGES).mode);
        assertEquals(Mode.COPY, safe(null, false, true, PAGES).mode);
        assertNull(safe(null, false, true, PAGES).withoutHugePages);
    }

    @Test
    void freshPagesAskedForAreKeptWithOrWithoutHugePages() {
        WriterLayout huge = safe(Mode.FRESH_PAGES, true, true, PAGES);
        assertEquals(Mode.FRESH_PAGES, huge.mode);
        assertNull(huge.withoutHugePages, "asked for: no fallback to copies");
        WriterLayout small = safe(Mode.FRESH_PAGES, false, false, PAGES);
        assertEquals(Mode.FRESH_PAGES, small.mode);
        assertFalse(small.huge);
        assertEquals(REGION, small.unitSize, "4 KiB pages renew region by region");
        assertEquals(1, small.perUnit);
        assertEquals(WriterLayout.FRESH_ARENA / REGION, small.slots);
    }

    @Test
    void aKernelWhoseVmspliceCopiesOverridesWhatWasAsked() {
        for (Mode asked : new Mode[] {null, Mode.FRESH_PAGES, Mode.COPY}) {
            WriterLayout l = safe(asked, true, true, VmspliceSemantics.COPIES);
            assertEquals(Mode.KERNEL_COPIES, l.mode, "asked " + asked);
            assertEquals(WriterLayout.COPY_SLOTS, l.slots);
        }
    }

    @Test
    void aRefusedVmspliceCopiesWithWritevWhateverWasAsked() {
        for (Mode asked : new Mode[] {null, Mode.FRESH_PAGES, Mode.COPY}) {
            for (boolean thp : new boolean[] {true, false}) {
                WriterLayout l = safe(asked, true, thp, VmspliceSemantics.REFUSED);
                assertEquals(Mode.COPY, l.mode, "asked " + asked + ", thp " + thp);
                assertEquals(WriterLayout.COPY_SLOTS, l.slots);
                assertNull(l.withoutHugePages, "no fresh pages to fall back from");
            }
        }
    }

    @Test
    void copyAskedForCopies() {
        WriterLayout l = safe(Mode.COPY, true, true, PAGES);
        assertEquals(Mode.COPY, l.mode);
        assertTrue(l.huge, "a copying writer's memory may still sit on huge pages");
    }

    @Test
    void aCopyingWriterSmallerThanAnEighthOfAHugePageTakesOrdinaryPages() {
        for (VmspliceSemantics semantics : new VmspliceSemantics[] {PAGES, VmspliceSemantics.COPIES, VmspliceSemantics.REFUSED}) {
            WriterLayout small = WriterLayout.choose(Policy.SAFE, Mode.COPY, 4096, PIPE, 0, true, true, semantics);
            assertEquals(WriterLayout.COPY_SLOTS * 4096L, small.size);
            assertFalse(small.huge, "16 KiB of memory must not have a 2 MiB page zeroed for it: " + semantics);
            WriterLayout edge = WriterLayout.choose(Policy.SAFE, Mode.COPY, WriterLayout.MIN_HUGE_COPY / WriterLayout.COPY_SLOTS, PIPE, 0,
                    true, true, semantics);
            assertTrue(edge.huge, "from an eighth of a huge page on, huge pages fault in faster: " + semantics);
        }
    }

    @Test
    void recycleRingsTwiceThePipeOrWhatWasAskedAndAtLeastFourRegions() {
        WriterLayout twice = WriterLayout.choose(Policy.RECYCLE, null, REGION, PIPE, 0, false, true, VmspliceSemantics.COPIES);
        assertEquals(Mode.RING, twice.mode, "RECYCLE never asks the kernel's semantics");
        assertEquals(2L * PIPE, twice.size);
        assertEquals(8, twice.slots);
        WriterLayout asked = WriterLayout.choose(Policy.RECYCLE, null, REGION, PIPE, 3 * REGION + 1, false, false, null);
        assertEquals(4, asked.slots, "rounded up to whole regions");
        WriterLayout small = WriterLayout.choose(Policy.RECYCLE, null, REGION, 4096, 0, false, false, null);
        assertEquals(WriterLayout.MIN_RING_SLOTS, small.slots);
    }

    @Test
    void memoryAboveTwoGibibytesIsRefusedWithItsSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WriterLayout.choose(Policy.RECYCLE, null, 64L << 20, PIPE, 3L << 30, false, false, null));
        assertTrue(e.getMessage().contains("size=3221225472"), e.getMessage());
    }
}
