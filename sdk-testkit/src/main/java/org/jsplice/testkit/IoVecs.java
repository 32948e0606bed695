package org.jsplice.testkit;

import java.util.ArrayList;
import java.util.List;
import org.jsplice.IoVec;

/** Arithmetic on segment lists, for wrappers and fakes that change what a call moves. */
public final class IoVecs {
    private IoVecs() {
    }

    /**
     * The sum of the segments' lengths.
     *
     * @param segments the segments
     * @return the sum of their lengths
     */
    public static long total(List<? extends IoVec> segments) {
        long total = 0;
        for (IoVec v : segments) {
            total += v.length();
        }
        return total;
    }

    /**
     * The first {@code bytes} bytes of the segments, as segments: whole ones, then a slice of the one
     * the boundary falls in; empty segments are left out.
     *
     * @param segments the segments
     * @param bytes how many bytes to keep
     * @return the segments that hold them
     * @throws IllegalArgumentException unless {@code 0 <= bytes <= total(segments)}
     */
    public static List<IoVec> prefix(List<? extends IoVec> segments, long bytes) {
        if (bytes < 0 || bytes > total(segments)) {
            throw new IllegalArgumentException("prefix out of range: bytes=" + bytes + " total=" + total(segments));
        }
        List<IoVec> out = new ArrayList<>();
        long left = bytes;
        for (IoVec v : segments) {
            if (left == 0) {
                break;
            }
            long n = Math.min(left, v.length());
            if (n == 0) {
                continue;
            }
            out.add(n == v.length() ? v : v.slice(0, n));
            left -= n;
        }
        return out;
    }

    /**
     * The segments after their first {@code bytes} bytes: what a loop still has to send after a
     * call moved {@code bytes}. Empty segments are left out.
     *
     * @param segments the segments
     * @param bytes how many bytes to leave out
     * @return what is left
     * @throws IllegalArgumentException unless {@code 0 <= bytes <= total(segments)}
     */
    public static List<IoVec> drop(List<? extends IoVec> segments, long bytes) {
        return IoVec.drop(segments, bytes);
    }
}
