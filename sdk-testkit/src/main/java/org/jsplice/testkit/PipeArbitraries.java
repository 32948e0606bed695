package org.jsplice.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jsplice.SpliceFlag;

/**
 * jqwik generators for pipe code: segment layouts inside a block of memory, and flag sets. Each
 * comes as a static factory and, for {@code @ForAll(supplier = ...)}, as an {@link
 * ArbitrarySupplier} with the defaults of {@link #MEMORY} bytes of memory and 4 KiB pages.
 */
public final class PipeArbitraries {
    /** The memory the default suppliers lay segments out in: 4 MiB. */
    public static final long MEMORY = 4L << 20;
    /** The page size the default suppliers assume. */
    public static final long PAGE = 4096;

    private PipeArbitraries() {
    }

    /**
     * Layouts of 0 to {@code maxCount} segments of 0 to {@code maxLength} bytes each, at any offset
     * inside {@code memory} bytes; overlaps allowed. Counts favour the edges that matter to the
     * kernel (1, 16 and 17 for the default pipe's slots; 1023 to 1025 and 2048 to 2049 for {@code
     * IOV_MAX}, where {@code maxCount} allows), lengths favour small segments so that counts can be
     * large.
     *
     * @param minCount the fewest segments
     * @param maxCount the most segments
     * @param maxLength the longest segment
     * @param memory the bytes the segments lie in
     * @return the arbitrary
     */
    public static Arbitrary<SegmentLayout> layouts(int minCount, int maxCount, long maxLength, long memory) {
        if (minCount < 0 || maxCount < minCount || maxLength < 0 || memory < maxLength) {
            throw new IllegalArgumentException("minCount=" + minCount + " maxCount=" + maxCount + " maxLength="
                    + maxLength + " memory=" + memory);
        }
        Arbitrary<Long> lengths = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, Math.min(16, maxLength))),
                Tuple.of(3, Arbitraries.longs().between(0, Math.min(8192, maxLength))),
                Tuple.of(1, Arbitraries.longs().between(0, maxLength)));
        Arbitrary<long[]> segment = lengths.flatMap(length -> Arbitraries.longs().between(0, memory - length)
                .map(offset -> new long[] {offset, length}));
        List<Tuple.Tuple2<Integer, Arbitrary<Integer>>> counts = new ArrayList<>();
        counts.add(Tuple.of(4, Arbitraries.integers().between(minCount, Math.min(maxCount, Math.max(minCount, 64)))));
        counts.add(Tuple.of(2, Arbitraries.integers().between(minCount, maxCount)));
        List<Integer> edges = IntStream.of(1, 16, 17, 1023, 1024, 1025, 2048, 2049)
                .filter(n -> n >= minCount && n <= maxCount).boxed().collect(Collectors.toList());
        if (!edges.isEmpty()) {
            counts.add(Tuple.of(2, Arbitraries.of(edges)));
        }
        // jqwik's own edge cases of a list of pairs run into the hundreds and, multiplied by a
        // property's other parameters, outnumber its tries; those of one segment at most are kept
        // (the counts that matter come up by the weights above).
        return Arbitraries.frequencyOf(counts).flatMap(n -> segment.list().ofSize(n)).map(SegmentLayout::of)
                .edgeCases(config -> config.filter(layout -> layout.count() <= 1));
    }

    /**
     * Layouts of 1 to {@code maxCount} segments whose offsets and lengths are multiples of {@code
     * page}, within {@code memory} bytes; each segment up to 16 pages.
     *
     * @param maxCount the most segments
     * @param page the page size
     * @param memory the bytes the segments lie in
     * @return the arbitrary
     */
    public static Arbitrary<SegmentLayout> pageAlignedLayouts(int maxCount, long page, long memory) {
        long pages = memory / page;
        Arbitrary<long[]> segment = Combinators.combine(
                        Arbitraries.longs().between(0, pages - 17), Arbitraries.longs().between(0, 16))
                .as((p, n) -> new long[] {p * page, n * page});
        return segment.list().ofMinSize(1).ofMaxSize(maxCount).map(SegmentLayout::of)
                .edgeCases(config -> config.filter(layout -> layout.count() <= 1));
    }

    /**
     * Layouts of 1 to {@code maxCount} segments of up to 16 pages where each offset and length is
     * page-aligned or not by a coin toss, so that about half the layouts are aligned throughout.
     *
     * @param maxCount the most segments
     * @param page the page size
     * @param memory the bytes the segments lie in
     * @return the arbitrary
     */
    public static Arbitrary<SegmentLayout> mixedAlignmentLayouts(int maxCount, long page, long memory) {
        Arbitrary<Long> misalign = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs().between(1, page - 1)));
        Arbitrary<long[]> segment = Combinators.combine(Arbitraries.longs().between(0, memory / page - 18),
                        Arbitraries.longs().between(0, 16), misalign, misalign)
                .as((p, n, offsetSkew, lengthSkew) -> new long[] {p * page + offsetSkew, n * page + lengthSkew});
        return segment.list().ofMinSize(1).ofMaxSize(maxCount).map(SegmentLayout::of);
    }

    /**
     * Sets of the flags that never change what arrives: {@code MOVE}, {@code NONBLOCK}, {@code MORE}.
     * Without edge cases of their own: the eight sets come up at random anyway, and edge cases
     * multiplied by a layout's would outnumber a property's tries (which jqwik logs).
     *
     * @return the arbitrary
     */
    public static Arbitrary<SpliceFlag[]> harmlessFlags() {
        return Arbitraries.of(SpliceFlag.MOVE, SpliceFlag.NONBLOCK, SpliceFlag.MORE).set()
                .map((Set<SpliceFlag> s) -> s.toArray(new SpliceFlag[0]))
                .withoutEdgeCases();
    }

    /** {@link #layouts} with 0 to 2100 segments of up to 64 KiB in {@link #MEMORY} bytes. */
    public static final class Layouts implements ArbitrarySupplier<SegmentLayout> {
        /** For jqwik, which makes one per property. */
        public Layouts() {
        }

        @Override
        public Arbitrary<SegmentLayout> get() {
            return layouts(0, 2100, 64 << 10, MEMORY);
        }
    }

    /** {@link #pageAlignedLayouts} with up to 40 segments, 4 KiB pages, in {@link #MEMORY} bytes. */
    public static final class PageAlignedLayouts implements ArbitrarySupplier<SegmentLayout> {
        /** For jqwik, which makes one per property. */
        public PageAlignedLayouts() {
        }

        @Override
        public Arbitrary<SegmentLayout> get() {
            return pageAlignedLayouts(40, PAGE, MEMORY);
        }
    }

    /** {@link #harmlessFlags()}. */
    public static final class HarmlessFlags implements ArbitrarySupplier<SpliceFlag[]> {
        /** For jqwik, which makes one per property. */
        public HarmlessFlags() {
        }

        @Override
        public Arbitrary<SpliceFlag[]> get() {
            return harmlessFlags();
        }
    }
}
