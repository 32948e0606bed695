package org.jsplice;

/** Range checks computed so that they cannot overflow. */
final class Bounds {
    private Bounds() {
    }

    static void checkSlice(long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("slice out of range: offset=" + offset + " length=" + length
                    + " size=" + size);
        }
    }
}
