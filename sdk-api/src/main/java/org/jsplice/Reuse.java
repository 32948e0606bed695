package org.jsplice;

import java.io.IOException;
import java.util.List;
import org.jsplice.PipeWriter.Mode;

/**
 * What one {@link PipeWriter.Mode} does with a region: how a commit moves it into the pipe, and
 * when its memory may be written again. One instance per mode; stateless.
 */
abstract class Reuse {
    private static final SpliceFlag[] GIFT = {SpliceFlag.GIFT};

    /** {@link Mode#COPY}: {@code writev(2)}; the memory is free again as soon as the call returns. */
    static final Reuse COPY = new Reuse() {
        @Override
        void send(PipeSink sink, List<IoVec> one, int length, long pageSize) throws IOException {
            sink.writeFully(one);
        }

        @Override
        boolean leavesPagesInPipe() {
            return false;
        }
    };

    /** {@link Mode#KERNEL_COPIES}: {@code vmsplice}, which copies on this kernel; free at once. */
    static final Reuse KERNEL_COPIES = new Reuse() {
    };

    /**
     * {@link Mode#FRESH_PAGES}: {@code vmsplice} (with {@code GIFT} for whole pages); the memory is
     * never written again, but renewed with fresh pages once every region of its unit is used.
     */
    static final Reuse FRESH_PAGES = new Reuse() {
        @Override
        void send(PipeSink sink, List<IoVec> one, int length, long pageSize) throws IOException {
            if (length % pageSize == 0) {
                sink.vmspliceFully(one, GIFT);
            } else {
                sink.vmspliceFully(one);
            }
        }

        @Override
        void released(RegionSlots slots, int k, boolean inPipe, long after) throws IOException {
            slots.state[k] = RegionSlots.USED;
            slots.renewIfComplete(k / slots.perUnit);
        }
    };

    /** {@link Mode#RING}: {@code vmsplice}; a region is free again once the pipe holds none of its bytes. */
    static final Reuse RING = new Reuse() {
        @Override
        void released(RegionSlots slots, int k, boolean inPipe, long after) {
            slots.state[k] = inPipe ? RegionSlots.USED : RegionSlots.FREE;
            slots.doneAt[k] = after;
        }

        @Override
        boolean reusable(RegionSlots slots, int k) {
            return super.reusable(slots, k) || slots.state[k] == RegionSlots.USED && slots.doneAt[k] <= slots.consumed;
        }

        @Override
        boolean waitsForConsumer() {
            return true;
        }
    };

    static Reuse of(Mode mode) {
        switch (mode) {
            case COPY:
                return COPY;
            case KERNEL_COPIES:
                return KERNEL_COPIES;
            case FRESH_PAGES:
                return FRESH_PAGES;
            default:
                return RING;
        }
    }

    /** Moves the first {@code length} bytes of the region that {@code one} spans into the pipe, all of them. */
    void send(PipeSink sink, List<IoVec> one, int length, long pageSize) throws IOException {
        sink.vmspliceFully(one);
    }

    /** Whether the pipe may refer to a region's pages after its commit. */
    boolean leavesPagesInPipe() {
        return true;
    }

    /** A claim on slot {@code k} ended; {@code after} is the committed count once its bytes are in. Under the slots' lock. */
    void released(RegionSlots slots, int k, boolean inPipe, long after) throws IOException {
        slots.state[k] = RegionSlots.FREE;
    }

    /** Whether slot {@code k} may be claimed. Under the slots' lock. */
    boolean reusable(RegionSlots slots, int k) {
        return slots.state[k] == RegionSlots.FREE;
    }

    /** Whether a region can be waiting for the consumer, rather than for another thread's commit. */
    boolean waitsForConsumer() {
        return false;
    }
}
