package org.jsplice;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.PipeWriter.Region;
import org.jsplice.internal.NativeMemory;
import org.jsplice.internal.WriterStatistics;
import org.jsplice.internal.linux.MappedBuffer;

/**
 * A {@link PipeWriter}'s regions and who holds them: each slot is free, claimed by one thread, or
 * used (its bytes are in the pipe, its memory not yet safe to write); the mode's {@link Reuse}
 * says when a used slot is free again. Owns the writer's memory and releases it once the writer is
 * closed and no claim is left. Counts in the process's {@link NativeMemory} what of the memory may
 * be resident: all of it where the writer faults it in when built, else each unit from its first
 * claim until it is renewed. Thread-safe: every state change holds {@link #lock}.
 */
final class RegionSlots {
    static final byte FREE = 0;
    static final byte CLAIMED = 1;
    static final byte USED = 2;
    /** What a claim is for: a caller's claim, the first part of a record, or a later part. */
    private static final int CLAIM = 0;
    private static final int FIRST_PART = 1;
    private static final int PART = 2;
    /** How long a claim waits before it looks for claims whose threads died. */
    private static final long REAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final PipeWriter writer;
    private final Reuse reuse;
    private final NativeBuffer arena;
    private final WriterStatistics stats;
    private final int regionSize;
    /** Regions per renewal unit, and the unit's size: a unit is renewed once all its regions are used. */
    final int perUnit;
    private final long unitSize;
    /** The memory's part of the process's account. */
    private final NativeMemory.Share share;
    /** Whether each unit is counted in {@link #share}: touched since the memory was fresh or renewed. */
    private final boolean[] counted;
    /** Each slot's view of the memory, which every claim of the slot duplicates. */
    private final ByteBuffer[] views;
    private final long[] offsets;
    /**
     * The claim that holds each slot, or null. A claim is a new {@link Region} with a view of its
     * own, which its release turns to limit 0 for good: a {@code Region} or buffer kept after
     * commit or abort can never write into a later claim of the same slot (another record).
     */
    final Region[] claimed;
    final byte[] state;
    /** {@link PipeWriter.Mode#RING}: the committed count after a slot's last commit; reusable once consumed past it. */
    final long[] doneAt;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private int next;
    private int claims;
    /** How many claims have ended: a waiter that sees it move knows the writer goes on. */
    private long releases;
    /** See {@link #spare()}; written under {@link #lock} by the commit lock's holder, read by it without. */
    private volatile NativeBuffer spare;
    /** The bytes the consumer has taken out of the pipe, as last asked; guarded by {@link #lock}. */
    long consumed;
    /** Written under {@link #lock}; read without it by {@link #closed()}. */
    private volatile boolean closed;
    private boolean memoryReleased;

    /** {@code faultedIn}: the writer touches all of its memory when built, so all of it counts from the start. */
    RegionSlots(PipeWriter writer, Reuse reuse, NativeBuffer arena, WriterStatistics stats, int regionSize, long unitSize,
            int perUnit, int slots, boolean faultedIn) {
        this.writer = writer;
        this.reuse = reuse;
        this.arena = arena;
        this.stats = stats;
        this.regionSize = regionSize;
        this.unitSize = unitSize;
        this.perUnit = perUnit;
        this.views = new ByteBuffer[slots];
        this.offsets = new long[slots];
        this.claimed = new Region[slots];
        this.state = new byte[slots];
        this.doneAt = new long[slots];
        this.share = MappedBuffer.shareOf(arena);
        this.counted = new boolean[(slots + perUnit - 1) / perUnit];
        if (faultedIn) {
            Arrays.fill(counted, true); // the share counts the mapped length from the start
        } else {
            share.add(-share.bytes()); // untouched pages are no memory yet
        }
        ByteBuffer root = arena.asByteBuffer();
        for (int k = 0; k < slots; k++) {
            long offset = (k / perUnit) * unitSize + (long) (k % perUnit) * regionSize;
            views[k] = root.slice((int) offset, regionSize).order(root.order());
            offsets[k] = offset;
        }
    }

    /**
     * See {@link PipeWriter#claim()}: a free region, waiting while none is. A wait for regions that
     * other threads hold, with none released for {@code stallNanos} while one of them is held by a
     * thread that is not committing, fails with {@link PipeWriterStalledException}.
     */
    Region claim(PipeSink sink, long stallNanos) throws IOException {
        return claim(sink, CLAIM, stallNanos);
    }

    /**
     * A region for the next part of a record, claimed by the commit lock's holder: a free one, or
     * null where none is, so that the part goes through the spare and the record never waits for
     * a claim. Only the first part (nothing of the record has left) waits for the consumer where
     * that frees a region, and that wait ends on interrupt and close like a claim's: a later part
     * never waits here, so that nothing but the sink's own wait (which counts what moved) can end
     * a record that has begun to leave.
     */
    Region claimPart(PipeSink sink, boolean first) throws IOException {
        return claim(sink, first ? FIRST_PART : PART, Long.MAX_VALUE);
    }

    private Region claim(PipeSink sink, int kind, long stallNanos) throws IOException {
        lock.lock();
        try {
            long backoff = 20_000;
            boolean waited = false;
            long seen = releases;
            long since = 0; // the stall clock starts at the first wait: a claim served at once reads no clock
            for (;;) {
                if (closed && kind != PART) {
                    if (waited) {
                        throw new PipeAsynchronousCloseException(0);
                    }
                    throw new IllegalStateException("PipeWriter is closed");
                }
                int k = ready();
                if (k < 0 && reuse.waitsForConsumer() && awaitsConsumer()) {
                    long c = writer.committed();
                    consumed = Math.max(consumed, c - sink.queued());
                    k = ready();
                }
                if (k >= 0) {
                    Region r = new Region(writer, k, offsets[k], views[k].duplicate().order(views[k].order()), Thread.currentThread());
                    if (!counted[k / perUnit]) {
                        counted[k / perUnit] = true;
                        share.add(unitSize);
                    }
                    state[k] = CLAIMED;
                    claimed[k] = r;
                    claims++;
                    next = k + 1 == claimed.length ? 0 : k + 1;
                    return r;
                }
                if (reapDeadClaims()) {
                    continue;
                }
                boolean consumer = reuse.waitsForConsumer() && awaitsConsumer();
                if (kind == PART || kind == FIRST_PART && !consumer) {
                    return null;
                }
                long now = System.nanoTime();
                if (!waited) {
                    since = now;
                }
                if (consumer) {
                    since = now; // the stall clock runs only while claims hold every region
                } else {
                    if (ownClaimsOnly()) {
                        throw new IllegalStateException("every region this claim could take is held by this thread's own claims: "
                                + "regions=" + claimed.length + " claims=" + claims + "; commit or abort one (flush a stream) first");
                    }
                    if (releases != seen) {
                        seen = releases;
                        since = now;
                    } else if (now - since >= stallNanos) {
                        Region idle = idleClaim();
                        if (idle != null) {
                            throw new PipeWriterStalledException(claimed.length, claims, idle.owner, now - since);
                        }
                    }
                }
                if (!waited) {
                    waited = true;
                    stats.waited();
                }
                if (consumer) {
                    // Nothing signals the consumer's progress: look again after a short, growing pause.
                    // Parking allocates nothing, where a condition wait would.
                    lock.unlock();
                    try {
                        LockSupport.parkNanos(this, backoff);
                    } finally {
                        lock.lock();
                    }
                    backoff = Math.min(backoff * 2, 1_000_000);
                } else {
                    try {
                        released.awaitNanos(Math.min(REAP_NANOS, Math.max(1, stallNanos)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for a free region");
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for a free region");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The spare: memory of its own, a region's size, for a record's part when every region is
     * held by claims. Only the commit lock's holder takes it, between {@link #beginRecord()} and
     * {@link #endRecord()}, and sends it by copy, so it is free again once the call returns.
     */
    NativeBuffer spare() throws IOException {
        NativeBuffer s = spare;
        if (s != null) {
            return s;
        }
        // Mapped without the slots' lock (a mapping may first wait for the cleaner): only the commit
        // lock's holder gets here, and the record it writes keeps the memory from being released.
        s = writer.sink().provider().allocate(regionSize, false);
        lock.lock();
        try {
            spare = s;
        } finally {
            lock.unlock();
        }
        return s;
    }

    /**
     * A record larger than a region begins, its thread holding the commit lock: it counts as a
     * claim until {@link #endRecord()}, so that the memory stays for its every part, even when the
     * writer is closed meanwhile.
     *
     * @throws IllegalStateException if the writer is closed
     */
    void beginRecord() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("PipeWriter is closed");
            }
            claims++;
        } finally {
            lock.unlock();
        }
    }

    void endRecord() {
        lock.lock();
        try {
            claims--;
            if (closed && claims == 0) {
                releaseMemory();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A free slot from the cursor on, or -1; the caller holds {@link #lock}. */
    private int ready() {
        int n = claimed.length;
        for (int i = 0, k = next; i < n; i++, k = k + 1 == n ? 0 : k + 1) {
            if (reuse.reusable(this, k)) {
                return k;
            }
        }
        return -1;
    }

    private boolean awaitsConsumer() {
        for (int k = 0; k < claimed.length; k++) {
            if (state[k] == USED) {
                return true;
            }
        }
        return false;
    }

    private boolean reapDeadClaims() throws IOException {
        boolean any = false;
        for (Region r : claimed) {
            if (r != null && !r.owner.isAlive()) {
                release(r, false, 0);
                any = true;
            }
        }
        return any;
    }

    /** Whether every claim is this thread's own, so that no other thread can free a region; the caller holds {@link #lock}. */
    private boolean ownClaimsOnly() {
        boolean any = false;
        for (Region r : claimed) {
            if (r != null) {
                if (r.owner != Thread.currentThread()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** A claim of another thread that is not committing it, or null; the caller holds {@link #lock}. */
    private Region idleClaim() {
        for (Region r : claimed) {
            if (r != null && r.owner != Thread.currentThread() && !r.committing) {
                return r;
            }
        }
        return null;
    }

    /** Whether this thread holds {@code region} of this writer. */
    boolean holds(Region region) {
        lock.lock();
        try {
            return region.writer == writer && claimed[region.index] == region && region.owner == Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a claim. {@code inPipe}: the pipe may refer to the region's pages; {@code after}: the
     * committed count once its bytes are in. Renews a {@link PipeWriter.Mode#FRESH_PAGES} unit whose
     * regions are all used.
     */
    void release(Region region, boolean inPipe, long after) throws IOException {
        lock.lock();
        try {
            int k = region.index;
            if (claimed[k] != region) {
                return; // released already (a dead claim reaped, then its thread's late commit)
            }
            region.buffer.limit(0);
            region.owner = null;
            claimed[k] = null;
            claims--;
            releases++;
            try {
                reuse.released(this, k, inPipe, after);
            } finally {
                if (closed && claims == 0) {
                    releaseMemory();
                }
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void renewIfComplete(int unit) throws IOException {
        int from = unit * perUnit;
        int to = Math.min(claimed.length, from + perUnit);
        for (int k = from; k < to; k++) {
            if (state[k] != USED) {
                return;
            }
        }
        if (!memoryReleased) {
            arena.renew(unit * unitSize, unitSize);
            stats.renewed();
            if (counted[unit]) {
                counted[unit] = false;
                share.add(-unitSize);
            }
        }
        for (int k = from; k < to; k++) {
            state[k] = FREE;
        }
    }

    private void releaseMemory() {
        if (!memoryReleased) {
            memoryReleased = true;
            arena.close(); // safe: the pipe holds its own references to the pages
            if (spare != null) {
                spare.close(); // sent by copy only: the pipe holds none of its pages
            }
        }
    }

    /** No claim from now on; claims of threads that have ended are aborted, and the memory goes once no claim is left. */
    void close() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                reapDeadClaims();
                if (claims == 0) {
                    releaseMemory();
                }
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }
}
