package org.jsplice.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;

/**
 * The checks every segment list and flag set passes before anything moves, in the core's calls and
 * in {@link org.jsplice.ForwardingPipeSink}'s standard loop alike, and the forms messages give
 * them. Stateless.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * The segments, indexable at constant cost: a list without {@link RandomAccess} is copied once.
     */
    public static List<? extends IoVec> indexable(List<? extends IoVec> segments) {
        Objects.requireNonNull(segments, "segments");
        return segments instanceof RandomAccess ? segments : new ArrayList<>(segments);
    }

    /**
     * Checks an {@link #indexable} segment list and the flags before any system call.
     *
     * @param fd the descriptor, for messages
     * @param raw whether the list goes to the kernel in one call, so that {@code IOV_MAX} applies
     * @return the total length of the segments
     */
    public static long validate(String call, int fd, List<? extends IoVec> list, SpliceFlag[] flags, boolean raw, int iovMax,
            long pageSize) throws PipeException {
        checkFlags(flags);
        int n = list.size();
        if (raw && n > iovMax) {
            throw new PipeException(describe(call, fd, n, flags), Errno.EINVAL.code(),
                    "more than IOV_MAX segments in one call: segments=" + n + " IOV_MAX=" + iovMax
                            + "; vmspliceFully splits longer lists");
        }
        boolean gift = SpliceFlag.contains(flags, SpliceFlag.GIFT);
        long pageMask = pageSize - 1;
        long total = 0;
        for (int i = 0; i < n; i++) {
            IoVec s = list.get(i);
            if (s == null) {
                throw new NullPointerException("segments[" + i + "] is null");
            }
            long address = s.address();
            long length = s.length();
            if (length < 0 || length > IoVec.MAX_USER_ADDRESS || Long.compareUnsigned(address, IoVec.MAX_USER_ADDRESS - length) > 0) {
                throw new IllegalArgumentException("segments[" + i + "] is no user memory: address=0x" + Long.toHexString(address)
                        + " length=" + length + " limit=0x" + Long.toHexString(IoVec.MAX_USER_ADDRESS));
            }
            if (gift && ((address | length) & pageMask) != 0) {
                throw new PipeException(describe(call, fd, n, flags), Errno.EINVAL.code(),
                        "GIFT needs page-aligned segments: segments[" + i + "] address=0x"
                                + Long.toHexString(address) + " length=" + length + " pageSize=" + pageSize);
            }
            total += length;
            if (total < 0) {
                throw new IllegalArgumentException("the segments' total length overflows a long at segments[" + i + "]");
            }
        }
        return total;
    }

    public static void checkFlags(SpliceFlag[] flags) {
        Objects.requireNonNull(flags, "flags");
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == null) {
                throw new NullPointerException("flags[" + i + "] is null");
            }
        }
    }

    /** The flags as a set, for messages: {@code [GIFT, NONBLOCK]}, duplicates folded. */
    public static String describe(String call, int fd, int segments, SpliceFlag[] flags) {
        return call + "(fd=" + fd + ", segments=" + segments + ", flags=" + flagSet(flags) + ")";
    }

    /** The flags as a set, for messages: {@code [GIFT, NONBLOCK]}, duplicates folded. */
    public static EnumSet<SpliceFlag> flagSet(SpliceFlag[] flags) {
        EnumSet<SpliceFlag> set = EnumSet.noneOf(SpliceFlag.class);
        set.addAll(Arrays.asList(flags));
        return set;
    }
}
