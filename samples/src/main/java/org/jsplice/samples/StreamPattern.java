package org.jsplice.samples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte stream of {@code pipebench.c}: the little-endian 64-bit word at stream offset {@code o}
 * ({@code o % 8 == 0}) is {@code o ^ 0x5DEECE66DA3B1F27}. Any prefix of the stream can be checked
 * by that program's {@code r read -v} mode.
 */
final class StreamPattern {
    static final long KEY = 0x5DEECE66DA3B1F27L;

    private StreamPattern() {
    }

    /** Writes the stream's bytes {@code [offset, offset + length)} into {@code dst} at {@code at}; offset is a multiple of 8. */
    static void fill(ByteBuffer dst, int at, long offset, int length) {
        ByteBuffer le = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int words = length >>> 3;
        for (int i = 0; i < words; i++) {
            le.putLong(at + (i << 3), (offset + ((long) i << 3)) ^ KEY);
        }
        for (int i = words << 3; i < length; i++) {
            le.put(at + i, byteAt(offset + i));
        }
    }

    /** The stream's byte at {@code offset}. */
    static byte byteAt(long offset) {
        long word = (offset & ~7L) ^ KEY;
        return (byte) (word >>> ((offset & 7) << 3));
    }

    /**
     * Checks the stream's bytes against {@code src} from its position to its limit, starting at
     * stream offset {@code offset}, and consumes them.
     *
     * @return -1 when all match, else the stream offset of the first difference
     */
    static long verify(ByteBuffer src, long offset) {
        ByteBuffer le = src.order(ByteOrder.LITTLE_ENDIAN);
        long at = offset;
        while (le.hasRemaining() && (at & 7) != 0) {
            if (le.get() != byteAt(at)) {
                return at;
            }
            at++;
        }
        while (le.remaining() >= 8) {
            if (le.getLong() != (at ^ KEY)) {
                le.position(le.position() - 8);
                break;
            }
            at += 8;
        }
        while (le.hasRemaining()) {
            if (le.get() != byteAt(at)) {
                return at;
            }
            at++;
        }
        return -1;
    }
}
