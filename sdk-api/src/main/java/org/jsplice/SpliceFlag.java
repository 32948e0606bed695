package org.jsplice;

/**
 * The flags of {@code vmsplice(2)}, {@code splice(2)} and {@code tee(2)}, with their values from
 * {@code <fcntl.h>}.
 */
public enum SpliceFlag {
    /** {@code SPLICE_F_MOVE}: a hint to move pages instead of copying; the kernel ignores it today. */
    MOVE(0x1),
    /**
     * {@code SPLICE_F_NONBLOCK}: do not wait for room in the pipe. A raw call on a full pipe then
     * returns 0 instead of waiting.
     */
    NONBLOCK(0x2),
    /** {@code SPLICE_F_MORE}: more data follows (a hint for a socket on the far end). */
    MORE(0x4),
    /**
     * {@code SPLICE_F_GIFT}: the pages are given to the kernel; the caller never modifies them again.
     * jsplice requires every segment's address and length to be page-aligned, as {@code
     * vmsplice(2)} documents, and refuses a call that is not before it reaches the kernel.
     */
    GIFT(0x8);

    /**
     * No flags: shared by the overloads that take none, so that they allocate nothing. Treat it as
     * read-only; it is an empty array, so there is nothing in it to change.
     */
    static final SpliceFlag[] NONE = new SpliceFlag[0];

    private final int value;

    SpliceFlag(int value) {
        this.value = value;
    }

    /**
     * The flag's bit as {@code <fcntl.h>} defines it, for providers.
     *
     * @return the bit
     */
    public int value() {
        return value;
    }

    /**
     * The bitwise or of the flags' values, for providers; duplicates are harmless.
     *
     * @param flags the flags
     * @return their bits
     */
    public static int bits(SpliceFlag... flags) {
        int bits = 0;
        for (SpliceFlag flag : flags) {
            bits |= flag.value;
        }
        return bits;
    }

    /**
     * Whether {@code flag} is among {@code flags}.
     *
     * @param flags the flags
     * @param flag the one to look for
     * @return true if it is there
     */
    public static boolean contains(SpliceFlag[] flags, SpliceFlag flag) {
        for (SpliceFlag f : flags) {
            if (f == flag) {
                return true;
            }
        }
        return false;
    }
}
