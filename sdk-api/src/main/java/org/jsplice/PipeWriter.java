package org.jsplice;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jsplice.internal.Cleaners;
import org.jsplice.internal.WriterStatistics;

/**
 * A writer that owns its memory and so makes zero-copy safe: it hands out regions to fill ({@link
 * #claim()}), and moves each committed region fully into the pipe ({@link #commit}), reusing memory
 * only when no consumer can still see it.
 *
 * <h2>Policies</h2>
 * <ul>
 *   <li>{@link Policy#SAFE}, the default: memory handed to the pipe is never written again, whatever
 *       the consumer does with it (reads it, splices or tees it onward to another pipe or a socket,
 *       grows or shrinks the pipe, pauses for minutes). How it gets there is the {@link Mode}, chosen
 *       when the writer is built and shown by {@link #mode()}:
 *       <ul>
 *         <li>{@link Mode#FRESH_PAGES} where transparent huge pages are granted: regions are cut
 *             from fresh memory and spliced without copying; a span of memory (one 2 MiB huge page,
 *             or one region if larger) is given fresh zero pages ({@code MADV_DONTNEED}) as soon as
 *             every region in it is committed, so the pipe keeps the old pages and the next regions
 *             there are new memory.</li>
 *         <li>{@link Mode#COPY} where they are not: with 4 KiB pages, faulting in fresh pages costs
 *             more than copying (measured: 1.7 against 3.2–4.0 GiB/s), so regions are copied into
 *             the pipe with {@code writev(2)} and reused at once. Also where {@code vmsplice} is
 *             refused ({@link VmspliceSemantics#REFUSED}: a seccomp filter, or a kernel whose
 *             {@code vmsplice} copies and refuses the non-blocking call).</li>
 *         <li>{@link Mode#KERNEL_COPIES} where this kernel's {@code vmsplice} copies ({@link
 *             Pipes#vmspliceSemantics()}): regions are vmspliced and reused at once.</li>
 *       </ul></li>
 *   <li>{@link Policy#RECYCLE}, an explicit choice ({@link Mode#RING}): one ring of memory reused in
 *       place. It assumes that the consumer <b>copies</b> ({@code read(2)}, {@code splice(2)} to a
 *       file or {@code /dev/null}), so that a byte is done with once it has left the pipe. Before a
 *       region is written again the writer asks the pipe ({@code FIONREAD}) and waits until none of
 *       its bytes are queued: the consumer growing the pipe at any time corrupts nothing. A consumer
 *       that splices or tees the pages onward breaks the assumption, and then receives bytes written
 *       later: use {@code SAFE} there.</li>
 * </ul>
 *
 * <h2>Regions</h2>
 * A {@link Region} is a reused flyweight over a fixed slot of the writer's memory; claiming and
 * committing allocate nothing. After {@link #commit} or {@link #abort} its {@link Region#buffer()}
 * has limit 0, so a put through a kept reference throws instead of writing. The memory behind it
 * stays mapped until the writer and every view are unreachable (see {@link NativeBuffer}), so no
 * touch of a stale view can crash the JVM. Under {@code SAFE}, bytes handed to the pipe cannot be
 * changed through the memory once it is renewed: at once with {@code COPY}, {@code KERNEL_COPIES}
 * and {@code FRESH_PAGES} on ordinary pages, and when the rest of its 2 MiB huge page is committed
 * with {@code FRESH_PAGES} on huge pages (a view reopened on purpose with {@code clear()} before
 * then could still change them).
 *
 * <h2>Threads</h2>
 * Thread-safe. Several threads may hold claims at once, each on its own region; a claim belongs to
 * the thread that made it, which commits or aborts it ({@link Region#close()} aborts a region not
 * yet committed, for try-with-resources). Commits are serialised: each committed region reaches the
 * pipe whole, in the order of the commits. {@link #write(ByteBuffer)} sends a record of any size
 * whole, never interleaved with other threads' commits, or fails before any of it has left (a wait
 * for a region or for the commit lock that ends), or fails in the pipe saying how many of the
 * record's bytes moved (once part of a record has left, only the sink's own wait, which counts
 * what moved and closes the sink on interrupt, can end it).
 * No claim wedges the writer:
 * <ul>
 *   <li>a claim whose thread has ended is aborted by the next claim that needs a region, and by
 *       {@link #close()};</li>
 *   <li>a record larger than a region never waits for another thread's claim once it has the
 *       commit lock: a part that finds every region held goes through a spare region of the
 *       writer's, by copy;</li>
 *   <li>a claim held by a live thread that does not commit it (a stream with unflushed bytes, a
 *       claim a pooled thread forgot) holds only its own region: a claim that waits for regions so
 *       held fails after the {@link PipeWriterBuilder#stallTimeout stall timeout} with {@link
 *       PipeWriterStalledException}, nothing sent;</li>
 *   <li>a wait for the commit lock (behind a commit that waits for the consumer) ends on interrupt
 *       and on {@link #close()}, nothing of it sent;</li>
 *   <li>a claim that only this thread's own claims could free fails at once with {@link
 *       IllegalStateException}.</li>
 * </ul>
 * {@link #committed()} never waits, and {@link #close()} waits behind a commit that waits for the
 * consumer only for the stream adapter's final commit, when called from the stream's thread. {@link
 * #close()} commits what the stream adapter holds (when called from its thread), ends the waits of
 * other threads' claims, commits and records ({@link PipeAsynchronousCloseException}, nothing of
 * them sent), refuses every later claim, commit and record ({@link IllegalStateException}), releases
 * the memory once no claim or record is outstanding, and does not close the sink, which stays the
 * caller's. A record already under way when the writer is closed goes on to its end. A {@link
 * Policy#RECYCLE} wait for the consumer does not see the consumer close its end (a {@code
 * write(2)} would fail with {@code EPIPE}): interrupt or close ends it.
 * Every wait, for a free region or for the consumer, parks: on a virtual thread it frees the carrier.
 * A writer dropped without {@link #close()} gives its memory back once it is unreachable, and what
 * such writers hold is bounded: past {@code org.jsplice.maxNativeMemory} (128 MiB by default) of the
 * pages they touched, building another waits for the cleaner first (see {@link NativeBuffer}).
 */
public final class PipeWriter implements Closeable {

    /** How memory is reused; see {@link PipeWriter}. */
    public enum Policy {
        /** Never write memory again that a consumer may still see: the default. */
        SAFE,
        /** Reuse a ring in place once its bytes have left the pipe: only for consumers that copy. */
        RECYCLE
    }

    /** How the writer moves bytes, chosen at build time; see {@link PipeWriter}. */
    public enum Mode {
        /** {@link Policy#SAFE}: zero-copy from fresh memory, renewed once spliced. */
        FRESH_PAGES,
        /**
         * {@link Policy#SAFE}: copied into the pipe with {@code writev(2)}, memory reused at once;
         * the default without huge pages and where {@code vmsplice} is refused.
         */
        COPY,
        /** {@link Policy#SAFE} on a kernel whose {@code vmsplice} copies: memory reused at once. */
        KERNEL_COPIES,
        /** {@link Policy#RECYCLE}: zero-copy from a ring reused once the pipe holds none of its bytes. */
        RING
    }

    /**
     * A claimed region: fill {@link #buffer()} from position 0, then commit or abort it. Each claim
     * is a region of its own (two small objects), so a {@code Region} kept after commit or abort
     * never passes for a later claim of the same memory, and a put through its kept buffer throws.
     * {@link #close()} aborts the claim if this thread still holds it.
     */
    public static final class Region implements AutoCloseable {
        final PipeWriter writer;
        final int index;
        final long offset;
        final ByteBuffer buffer;
        /** Guarded by the slots' lock. */
        Thread owner;
        /** Set once its thread commits it: a claim waiting for the commit lock waits for the consumer, not idle. */
        volatile boolean committing;

        Region(PipeWriter writer, int index, long offset, ByteBuffer buffer, Thread owner) {
            this.writer = writer;
            this.index = index;
            this.offset = offset;
            this.buffer = buffer;
            this.owner = owner;
        }

        /**
         * A view of the region: position 0, limit and capacity the region size while claimed; limit
         * 0 after. Each claim has a view of its own, which no later claim of the same memory hands
         * out again: a put through a reference kept after commit or abort throws, however often the
         * memory is claimed since. (A caller that sets that view's limit again, with {@code clear()}
         * or {@code limit(n)}, or keeps a view derived from it, with {@code slice()} or {@code
         * duplicate()}, writes into the memory again, which may by then be another claim's: the
         * writer can revoke only the view it handed out.)
         *
         * @return the view
         */
        public ByteBuffer buffer() {
            return buffer;
        }

        /**
         * The region size in bytes.
         *
         * @return the size
         */
        public int capacity() {
            return buffer.capacity();
        }

        /** Aborts the claim if the current thread still holds it; does nothing after a commit. */
        @Override
        public void close() {
            writer.abortIfHeld(this);
        }

        @Override
        public String toString() {
            return "Region[" + index + ", offset=" + offset + ", capacity=" + capacity() + "]";
        }
    }

    /** Largest region: a record never needs more, and the writer's memory stays within one view. */
    static final long MAX_REGION = 64L << 20;
    /** How often a wait for the commit lock looks whether the writer was closed. */
    private static final long LOCK_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final PipeSink sink;
    private final Policy policy;
    private final Mode mode;
    private final int regionSize;
    private final int pipeCapacity;
    /** How long a claim waits for regions that idle claims hold; see {@link PipeWriterBuilder#stallTimeout}. */
    private final long stallNanos;
    /** Why {@link #pipeCapacity} is not what was asked, or null. */
    private final String capacityNote;
    private final long pageSize;
    private final NativeBuffer arena;
    private final long arenaAddress;
    /** How this mode sends a region and when its memory is free again. */
    private final Reuse reuse;
    /** The regions, who holds them, and the memory. */
    private final RegionSlots slots;
    /** Serialises transfers, so that commits reach the pipe whole and in order. */
    private final ReentrantLock commitLock = new ReentrantLock();
    private final CommitSpan span = new CommitSpan();
    /** Its figures for JFR's {@code org.jsplice.WriterStatistics}. */
    private final WriterStatistics stats;
    /** Takes the figures out of the registry should the writer be dropped without close (its memory has a cleaner of its own). */
    private final Cleaner.Cleanable cleanable;
    private final List<IoVec> one = Arrays.asList(new IoVec[] {span});

    private volatile long committed;
    /** Guarded by the slots' lock. */
    private WriterStream stream;

    PipeWriter(PipeWriterBuilder b, int pipeCapacity, Mode mode, NativeBuffer arena, long unitSize, int perUnit,
            int slots) {
        this.sink = b.sink;
        this.policy = b.policy;
        this.mode = mode;
        this.regionSize = (int) b.regionSize;
        this.pipeCapacity = pipeCapacity;
        this.stallNanos = b.stallNanos;
        this.capacityNote = b.capacityNote;
        this.pageSize = sink.provider().pageSize();
        this.arena = arena;
        this.arenaAddress = arena.address();
        this.reuse = Reuse.of(mode);
        this.stats = WriterStatistics.open(mode.name(), sink.provider().descriptor(sink));
        this.cleanable = Cleaners.CLEANER.register(this, stats);
        this.slots = new RegionSlots(this, reuse, arena, stats, regionSize, unitSize, perUnit, slots, mode != Mode.FRESH_PAGES);
        ByteBuffer root = arena.asByteBuffer();
        if (mode != Mode.FRESH_PAGES) {
            // Fault every page in now: untouched anonymous pages are the shared zero page, which the
            // kernel splices on a slow path, and page faults do not belong in the stream.
            for (long i = 0; i < arena.size(); i += pageSize) {
                root.put((int) i, (byte) 0);
            }
        }
    }

    /**
     * A builder for a writer into {@code sink}, which stays the caller's to close.
     *
     * @param sink the pipe's write end
     * @return a builder with the defaults
     */
    public static PipeWriterBuilder builder(PipeSink sink) {
        return new PipeWriterBuilder(Objects.requireNonNull(sink, "sink"));
    }

    /** {@return the policy in use} */
    public Policy policy() {
        return policy;
    }

    /** {@return how this writer moves bytes; for {@link Policy#SAFE}, what the writer chose for this system} */
    public Mode mode() {
        return mode;
    }

    /** {@return whether the writer's memory sits on transparent huge pages} */
    public boolean hugePages() {
        return arena.hugePages();
    }

    /** {@return the region size in bytes} */
    public int regionSize() {
        return regionSize;
    }

    /** {@return the pipe capacity granted when the writer was built; the writer does not depend on it} */
    public int pipeCapacity() {
        return pipeCapacity;
    }

    /** {@return the bytes of memory the writer cycles through} */
    public long ringSize() {
        return arena.size();
    }

    /**
     * The bytes moved into the pipe so far: every committed region, and the part of a region whose
     * transfer failed that reached the pipe before the failure (as its exception's {@link
     * PartialTransfer#bytesTransferred()} says). Never waits.
     *
     * @return the bytes
     */
    public long committed() {
        return committed;
    }

    /**
     * Claims a region to fill. Waits while no region is free: under {@link Policy#RECYCLE} until the
     * consumer has taken a region's bytes from the pipe, otherwise until another thread commits.
     *
     * @return the region, claimed by this thread until it commits or aborts it
     * @throws IllegalStateException if the writer is closed
     * @throws PipeAsynchronousCloseException if the writer is closed while the claim waits
     * @throws PipeWriterStalledException if the claim waited out the stall timeout for regions
     *     that other threads hold without committing them
     * @throws InterruptedIOException if the thread is interrupted while it waits
     * @throws IOException if asking the pipe how many bytes it holds fails
     */
    public Region claim() throws IOException {
        return slots.claim(sink, stallNanos);
    }

    /**
     * Moves the first {@code length} bytes of the claimed region into the pipe, all of them, and
     * releases the claim, also when the transfer fails. A failure says how many of the region's
     * bytes reached the pipe ({@link PartialTransfer}), and {@link #committed()} counts them.
     *
     * @param region the region this thread claimed
     * @param length how many of its bytes to send, from its start
     * @throws InterruptedIOException if the thread is interrupted while it waits for another
     *     thread's commit or record to end: nothing was sent, and the claim is released
     * @throws PipeAsynchronousCloseException if the writer is closed while the commit waits for
     *     another thread's commit or record: nothing was sent, and the claim is released
     * @throws IOException if the transfer fails, saying how many bytes moved
     * @throws IllegalStateException if this thread does not hold {@code region}
     * @throws IndexOutOfBoundsException if {@code length} is negative or above the region size (the
     *     claim is kept)
     */
    public void commit(Region region, int length) throws IOException {
        checkHeld(region);
        if (length < 0 || length > regionSize) {
            throw new IndexOutOfBoundsException("commit length out of range: length=" + length + " regionSize=" + regionSize);
        }
        region.committing = true;
        boolean inPipe = false;
        long after = 0;
        try {
            if (length > 0) {
                lockToCommit();
                try {
                    inPipe = reuse.leavesPagesInPipe();
                    after = committed + length;
                    send(arenaAddress + region.offset, length, false);
                } finally {
                    commitLock.unlock();
                }
            }
        } finally {
            slots.release(region, inPipe, after);
        }
    }

    /**
     * Moves {@code length} bytes at {@code address} into the pipe, all of them, by copy or as the
     * mode sends; the caller holds the commit lock. The bytes that reached the pipe before a failure
     * count: the caller must be able to account for every byte.
     */
    void send(long address, int length, boolean copy) throws IOException {
        span.address = address;
        span.length = length;
        try {
            if (copy) {
                sink.writeFully(one);
            } else {
                reuse.send(sink, one, length, pageSize);
            }
        } catch (IOException e) {
            long moved = PartialTransfer.of(e);
            committed += moved;
            stats.committed(moved);
            throw e;
        }
        committed += length;
        stats.committed(length);
    }

    /**
     * Takes the commit lock, waiting for another thread's commit or record to end; the wait ends on
     * interrupt and on {@link #close()}, before anything of this commit or record was sent. Taken
     * again at once by the thread that holds it (the parts of its own record).
     */
    void lockToCommit() throws IOException {
        if (commitLock.isHeldByCurrentThread()) {
            commitLock.lock();
            return;
        }
        boolean openBefore = !slots.closed();
        try {
            while (!commitLock.tryLock(LOCK_LOOK_NANOS, TimeUnit.NANOSECONDS)) {
                if (slots.closed()) {
                    throw new PipeAsynchronousCloseException(0);
                }
            }
            if (slots.closed()) {
                // Closed while this waited, or before: nothing of it goes, as of any commit after close.
                commitLock.unlock();
                if (openBefore) {
                    throw new PipeAsynchronousCloseException(0);
                }
                throw new IllegalStateException("PipeWriter is closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another thread's commit or record to end; "
                    + "nothing of this one was sent");
        }
    }

    void unlockCommit() {
        commitLock.unlock();
    }

    PipeSink sink() {
        return sink;
    }

    /**
     * Gives the claimed region back without sending anything.
     *
     * @param region the region this thread claimed
     */
    public void abort(Region region) {
        checkHeld(region);
        releaseUnsent(region);
    }

    void abortIfHeld(Region region) {
        if (slots.holds(region)) {
            releaseUnsent(region);
        }
    }

    /** Gives back a region this thread holds, nothing of it sent. */
    private void releaseUnsent(Region region) {
        try {
            slots.release(region, false, 0);
        } catch (IOException e) {
            throw new IllegalStateException("could not renew the writer's memory", e);
        }
    }

    private void checkHeld(Region region) {
        Objects.requireNonNull(region, "region");
        if (!slots.holds(region)) {
            throw new IllegalStateException("not a region this thread holds: it was committed or aborted, or "
                    + "another thread or writer claimed it: " + region);
        }
    }

    /**
     * Copies {@code len} bytes of {@code b} into regions and commits them as one record.
     *
     * @param b the bytes
     * @param off where in {@code b} they start
     * @param len how many
     * @throws IOException if a transfer fails, saying how many bytes moved
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        write(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Copies the remaining bytes of {@code src} (heap or direct) into regions and commits them as
     * one record: the bytes arrive together, never interleaved with other threads' commits. A record
     * larger than a region holds off other threads' commits until it is in, and once it has the
     * commit lock it waits only for the consumer.
     *
     * @param src the bytes, from its position to its limit; its position moves to its limit
     * @throws InterruptedIOException if interrupted while waiting for a region or for another
     *     thread's commit or record: nothing of this record was sent
     * @throws PipeAsynchronousCloseException if the writer is closed while this record waits for
     *     a region or for another thread's commit or record: nothing of it was sent
     * @throws PipeWriterStalledException if a record no larger than a region waited out the stall
     *     timeout for a region (see {@link #claim()}): nothing of it was sent
     * @throws IllegalStateException if the writer is closed
     * @throws IOException if a transfer fails, saying how many bytes moved
     */
    public void write(ByteBuffer src) throws IOException {
        WriterRecords.write(this, slots, regionSize, src);
    }

    /**
     * An {@link OutputStream} over this writer: bytes fill a region, which is committed when full,
     * on {@code flush()} and on {@code close()}. Existing code gets the zero-copy path without
     * handling memory. The stream holds a claim while it has unflushed bytes; use it from one thread.
     * Closing the stream flushes it and leaves the writer open (the next call here gives a new
     * stream); a closed stream, or one whose writer is closed, throws {@link IOException} on write.
     *
     * @return the stream
     */
    public OutputStream asOutputStream() {
        ReentrantLock lock = slots.lock;
        lock.lock();
        try {
            if (stream == null || stream.closed()) {
                stream = new WriterStream(this);
            }
            return stream;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits what the stream adapter holds (when called from the thread that uses it, which waits
     * for the consumer as any commit does), then releases the memory once no claim is outstanding,
     * also when that last commit fails. Does not close the sink and otherwise does not wait for the
     * consumer; claims still outstanding may be aborted afterwards, and a commit of one throws
     * {@link IllegalStateException}, nothing of it sent.
     *
     * @throws IOException if the final commit failed, saying how many bytes were committed in full
     */
    @Override
    public void close() throws IOException {
        Throwable failure = null;
        ReentrantLock lock = slots.lock;
        WriterStream s;
        Region held;
        lock.lock();
        try {
            s = stream;
            held = s == null ? null : s.region;
            if (held != null && held.owner != Thread.currentThread()) {
                held = null;
            }
        } finally {
            lock.unlock();
        }
        if (held != null) {
            try {
                s.flush();
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        try {
            slots.close();
        } finally {
            cleanable.clean();
        }
        if (failure != null) {
            throw new IOException("PipeWriter closed and its memory released, but the final flush failed: "
                    + committed + " bytes were committed in full", failure);
        }
    }

    @Override
    public String toString() {
        return "PipeWriter[" + policy + ", " + mode + ", regions=" + slots.claimed.length + " x " + regionSize
                + ", pipe=" + pipeCapacity + (capacityNote == null ? "" : " (" + capacityNote + ")")
                + (arena.hugePages() ? ", huge pages" : "") + ", committed=" + committed + (slots.closed() ? ", closed" : "") + "]";
    }
}
