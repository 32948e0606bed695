package org.jsplice.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;

/**
 * Where a list of segments lies inside one block of memory: an immutable list of (offset, length)
 * pairs, which {@link PipeArbitraries} generates and shrinks, and which turns into {@link IoVec}s
 * over a {@link NativeBuffer} and into the bytes a reader must receive.
 */
public final class SegmentLayout {
    private final long[] offsets;
    private final long[] lengths;

    private SegmentLayout(long[] offsets, long[] lengths) {
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /**
     * A layout of {@code offsetsAndLengths.length / 2} segments: offset, length, offset, length...
     *
     * @param offsetsAndLengths offset, length, offset, length, ...
     * @return the layout
     * @throws IllegalArgumentException for an odd count or a negative number
     */
    public static SegmentLayout of(long... offsetsAndLengths) {
        if (offsetsAndLengths.length % 2 != 0) {
            throw new IllegalArgumentException("offsets and lengths come in pairs: count=" + offsetsAndLengths.length);
        }
        int n = offsetsAndLengths.length / 2;
        long[] o = new long[n];
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            o[i] = offsetsAndLengths[2 * i];
            l[i] = offsetsAndLengths[2 * i + 1];
            if (o[i] < 0 || l[i] < 0) {
                throw new IllegalArgumentException("segment " + i + " is negative: offset=" + o[i] + " length=" + l[i]);
            }
        }
        return new SegmentLayout(o, l);
    }

    static SegmentLayout of(List<long[]> pairs) {
        long[] flat = new long[pairs.size() * 2];
        for (int i = 0; i < pairs.size(); i++) {
            flat[2 * i] = pairs.get(i)[0];
            flat[2 * i + 1] = pairs.get(i)[1];
        }
        return of(flat);
    }

    /**
     * The number of segments.
     *
     * @return the count
     */
    public int count() {
        return offsets.length;
    }

    /**
     * The offset of segment {@code i}.
     *
     * @param i which segment
     * @return its offset
     */
    public long offset(int i) {
        return offsets[i];
    }

    /**
     * The length of segment {@code i}.
     *
     * @param i which segment
     * @return its length
     */
    public long length(int i) {
        return lengths[i];
    }

    /**
     * The sum of the lengths.
     *
     * @return the sum of the lengths
     */
    public long totalLength() {
        long total = 0;
        for (long l : lengths) {
            total += l;
        }
        return total;
    }

    /**
     * Whether every offset and length is a multiple of {@code pageSize}.
     *
     * @param pageSize the page size
     * @return true if they all are
     */
    public boolean isPageAligned(long pageSize) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] % pageSize != 0 || lengths[i] % pageSize != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The segments as slices of {@code memory}, whose address must be page-aligned for {@link #isPageAligned}.
     *
     * @param memory the memory the layout lies in
     * @return the segments
     */
    public List<IoVec> ioVecs(NativeBuffer memory) {
        List<IoVec> list = new ArrayList<>(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            list.add(memory.slice(offsets[i], lengths[i]));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * The concatenation of the segments' bytes, taken from {@code content}, a copy of the memory.
     *
     * @param content what the memory holds
     * @return the bytes
     */
    public byte[] concatenation(byte[] content) {
        long total = totalLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too large to hold in one array: totalLength=" + total);
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < offsets.length; i++) {
            System.arraycopy(content, (int) offsets[i], out, at, (int) lengths[i]);
            at += (int) lengths[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentLayout && java.util.Arrays.equals(offsets, ((SegmentLayout) o).offsets)
                && java.util.Arrays.equals(lengths, ((SegmentLayout) o).lengths);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(offsets) * 31 + java.util.Arrays.hashCode(lengths);
    }

    /** Such as {@code SegmentLayout[3 segments, 120 bytes: 0+100, 4096+10, 7+10]}, shortened past 8 segments. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SegmentLayout[").append(count()).append(" segments, ")
                .append(totalLength()).append(" bytes:");
        for (int i = 0; i < Math.min(8, offsets.length); i++) {
            sb.append(i == 0 ? " " : ", ").append(offsets[i]).append('+').append(lengths[i]);
        }
        return sb.append(offsets.length > 8 ? ", ...]" : "]").toString();
    }
}
