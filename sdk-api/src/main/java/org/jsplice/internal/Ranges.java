package org.jsplice.internal;

/** Range checks computed so that they cannot overflow, with every number in the message. */
public final class Ranges {
    private Ranges() {
    }

    /**
     * Checks {@code 0 <= offset <= offset + length <= size}.
     *
     * @param offset where the range starts
     * @param length its length
     * @param size the size of what it lies in
     * @param what what the range is for, as the message starts: {@code slice}, {@code view}
     * @throws IndexOutOfBoundsException {@code WHAT out of range: offset=… length=… size=…}
     */
    public static void check(String what, long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(what + " out of range: offset=" + offset + " length=" + length
                    + " size=" + size);
        }
    }
}
