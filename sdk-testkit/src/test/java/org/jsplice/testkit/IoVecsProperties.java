package org.jsplice.testkit;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsplice.IoVec;

/** Segment arithmetic, checked byte by byte on the addresses it names. */
class IoVecsProperties {

    @Provide
    Arbitrary<List<IoVec>> segments() {
        return Arbitraries.longs().between(0, 50).list().ofMaxSize(20).map(lengths -> {
            List<IoVec> list = new ArrayList<>();
            long address = 0x10000;
            for (long l : lengths) {
                list.add(IoVec.of(address, l));
                address += 1000;
            }
            return list;
        });
    }

    /** The address of each byte, in order. */
    private static List<Long> bytes(List<? extends IoVec> segments) {
        List<Long> out = new ArrayList<>();
        for (IoVec v : segments) {
            for (long i = 0; i < v.length(); i++) {
                out.add(v.address() + i);
            }
        }
        return out;
    }

    @Property
    void aPrefixNamesExactlyTheFirstBytes(@ForAll("segments") List<IoVec> segments, @ForAll double fraction) {
        long total = IoVecs.total(segments);
        long n = (long) (Math.abs(fraction) % 1.0 * (total + 1));
        List<IoVec> prefix = IoVecs.prefix(segments, n);
        List<Long> all = bytes(segments);
        if (!bytes(prefix).equals(all.subList(0, (int) n))) {
            throw new AssertionError("prefix(" + n + ") of " + segments + " is " + prefix);
        }
        for (IoVec v : prefix) {
            if (v.length() == 0) {
                throw new AssertionError("a prefix carries no empty segments: " + prefix);
            }
        }
    }

    @Property
    void aPrefixAndWhatIsDroppedMakeTheWhole(@ForAll("segments") List<IoVec> segments, @ForAll double fraction) {
        long total = IoVecs.total(segments);
        long n = (long) (Math.abs(fraction) % 1.0 * (total + 1));
        List<Long> joined = new ArrayList<>(bytes(IoVecs.prefix(segments, n)));
        joined.addAll(bytes(IoVecs.drop(segments, n)));
        if (!joined.equals(bytes(segments))) {
            throw new AssertionError("prefix + drop of " + n + " differs from " + segments);
        }
        if (IoVecs.total(IoVecs.drop(segments, n)) != total - n) {
            throw new AssertionError("drop(" + n + ") left the wrong count");
        }
    }

    @Property
    void aPrefixBeyondTheTotalIsRefused(@ForAll("segments") List<IoVec> segments) {
        long total = IoVecs.total(segments);
        try {
            IoVecs.prefix(segments, total + 1);
            throw new AssertionError("prefix beyond the total was allowed");
        } catch (IllegalArgumentException expected) {
            // the rule
        }
    }

    @Property
    void layoutsConcatenateTheirSegmentsInOrder(@ForAll("layoutPairs") long[] pairs) {
        SegmentLayout layout = SegmentLayout.of(pairs);
        byte[] content = new byte[4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        byte[] joined = layout.concatenation(content);
        int at = 0;
        for (int s = 0; s < layout.count(); s++) {
            for (long i = 0; i < layout.length(s); i++) {
                if (joined[at++] != content[(int) (layout.offset(s) + i)]) {
                    throw new AssertionError("byte " + (at - 1) + " of " + layout);
                }
            }
        }
        if (at != joined.length || joined.length != layout.totalLength()) {
            throw new AssertionError("length of " + layout);
        }
    }

    @Provide
    Arbitrary<long[]> layoutPairs() {
        return Arbitraries.longs().between(0, 2048).array(long[].class).ofMaxSize(30)
                .filter(a -> a.length % 2 == 0);
    }
}
