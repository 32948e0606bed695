package org.jsplice;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A writer that owns its memory and so makes zero-copy safe: it hands out regions to fill ({@link
 * #claim()}), and splices each committed region fully into the pipe ({@link #commit}), reusing
 * memory only when the memory-lifetime rule allows.
 *
 * <h2>Policies</h2>
 * <ul>
 *   <li>{@link Policy#RECYCLE}: a ring of at least pipe capacity + two regions (2 × capacity by
 *       default). Commits pack the ring byte after byte, and a byte is written over only after the
 *       bytes committed since fill the pipe's capacity, so that the pipe can no longer hold it.
 *       Correct when the consumer copies: {@code read(2)}, {@code splice(2)} to a file or {@code
 *       /dev/null}.</li>
 *   <li>{@link Policy#FRESH}: new pages for every region, spliced with {@link SpliceFlag#GIFT}
 *       where whole pages allow, and unmapped right after the call (the pipe keeps its own
 *       references). Correct for any consumer, also one that splices or tees the pages onward.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Thread-safe: a claim belongs to the thread that made it until that thread commits or aborts it,
 * and other threads' claims wait meanwhile, so each committed region reaches the pipe whole and in
 * commit order. {@link #write(byte[], int, int)} and {@link #write(ByteBuffer)} copy heap data in
 * under one claim each. {@link #close()} commits what the stream adapter holds, releases the memory
 * (safe: the pipe holds its own page references) and does not close the sink, which stays the
 * caller's; it waits for nothing it cannot know, such as the consumer.
 */
public final class PipeWriter implements Closeable {

    /** How memory is reused; see {@link PipeWriter}. */
    public enum Policy { RECYCLE, FRESH }

    /** A claimed region: fill {@link #buffer()} from position 0, then commit it. */
    public static final class Region {
        private final NativeBuffer fresh;
        private final ByteBuffer buffer;
        private final IoVec segment;

        Region(NativeBuffer fresh, ByteBuffer buffer, IoVec segment) {
            this.fresh = fresh;
            this.buffer = buffer;
            this.segment = segment;
        }

        /** A view of the region: position 0, limit and capacity the region size. */
        public ByteBuffer buffer() {
            return buffer;
        }

        /** The region size in bytes. */
        public int capacity() {
            return buffer.capacity();
        }
    }

    private final PipeSink sink;
    private final Policy policy;
    private final int regionSize;
    private final int pipeCapacity;
    private final boolean hugePages;
    private final long pageSize;
    private final NativeBuffer ring;
    /** One view of the whole ring, cut into region views without a native call per claim. */
    private final ByteBuffer ringView;
    private final long ringAddress;
    private final ReentrantLock claimLock = new ReentrantLock();
    private final IoVec[] holder = new IoVec[1];
    private final List<IoVec> one = Arrays.asList(holder);
    /** Where the next region starts in the ring; commits pack the ring byte after byte. */
    private long position;
    private long committed;
    private Region claimed;
    private Stream stream;
    private boolean closed;

    private PipeWriter(Builder b, int pipeCapacity) throws IOException {
        this.sink = b.sink;
        this.policy = b.policy;
        this.hugePages = b.hugePages;
        this.pageSize = Pipes.provider().pageSize();
        this.regionSize = (int) Math.max(pageSize, Math.min(b.regionSize, Integer.MAX_VALUE) & -pageSize);
        this.pipeCapacity = pipeCapacity;
        if (policy == Policy.FRESH) {
            ring = null;
            ringView = null;
            ringAddress = 0;
            return;
        }
        long size = b.unsafeRingSize > 0 ? b.unsafeRingSize
                : Math.max(b.ringSize > 0 ? b.ringSize : 2L * pipeCapacity, minimumRing(pipeCapacity, regionSize));
        size = Math.max(regionSize, (size + pageSize - 1) & -pageSize);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring too large: size=" + size + " max=" + Integer.MAX_VALUE);
        }
        ring = hugePages ? Pipes.allocateHuge(size) : Pipes.allocate(size);
        ringView = ring.asByteBuffer();
        ringAddress = ring.address();
        // Fault every page in now: untouched anonymous pages are the shared zero page, which the
        // kernel splices on a slow path, and page faults do not belong in the stream.
        for (int i = 0; i < ringView.capacity(); i += (int) pageSize) {
            ringView.put(i, (byte) 0);
        }
    }

    /**
     * The smallest safe ring: the bytes written over must have left the pipe. Between writing a byte
     * and writing over it the writer goes once round the ring, committing all of it but the region
     * being claimed and the tail it skips to wrap (less than a region): at least {@code ring - 2 *
     * region} bytes, which must cover the capacity.
     */
    static long minimumRing(int pipeCapacity, int regionSize) {
        return (long) pipeCapacity + 2L * regionSize;
    }

    /** A builder for a writer into {@code sink}, which stays the caller's to close. */
    public static Builder builder(PipeSink sink) {
        return new Builder(Objects.requireNonNull(sink, "sink"));
    }

    /** How to build a {@link PipeWriter}. Not thread-safe. */
    public static final class Builder {
        private final PipeSink sink;
        private Policy policy = Policy.RECYCLE;
        private long regionSize = 256 << 10;
        private int pipeCapacity = 1 << 20;
        private long ringSize;
        private long unsafeRingSize;
        private boolean hugePages;

        Builder(PipeSink sink) {
            this.sink = sink;
        }

        /** {@link Policy#RECYCLE} unless told otherwise. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Bytes per region, rounded down to whole pages (at least one); 256 KiB by default. */
        public Builder regionSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("regionSize must be positive: bytes=" + bytes);
            }
            this.regionSize = bytes;
            return this;
        }

        /**
         * The pipe capacity to ask for, 1 MiB by default; the writer works with what the kernel
         * grants (and keeps the current capacity where it refuses). Do not grow the pipe later: the
         * ring is sized for the capacity at build time.
         */
        public Builder pipeCapacity(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("pipeCapacity must be positive: bytes=" + bytes);
            }
            this.pipeCapacity = bytes;
            return this;
        }

        /** The ring for {@link Policy#RECYCLE}: 2 × capacity by default, never less than capacity + two regions. */
        public Builder ringSize(long bytes) {
            this.ringSize = bytes;
            return this;
        }

        /**
         * A ring of exactly {@code bytes}, even below what the memory-lifetime rule needs. It corrupts
         * the stream under a consumer that lags; it exists so that tests can show they notice.
         */
        public Builder unsafeRingSize(long bytes) {
            this.unsafeRingSize = bytes;
            return this;
        }

        /** Memory on 2 MiB transparent huge pages where the kernel agrees; ordinary pages otherwise. */
        public Builder hugePages(boolean hugePages) {
            this.hugePages = hugePages;
            return this;
        }

        /** Sets the pipe's capacity and allocates the memory. */
        public PipeWriter build() throws IOException {
            int granted;
            try {
                granted = sink.capacity(pipeCapacity);
            } catch (PipeException refused) {
                granted = sink.capacity();
            }
            return new PipeWriter(this, granted);
        }
    }

    /** The policy in use. */
    public Policy policy() {
        return policy;
    }

    /** The region size in bytes. */
    public int regionSize() {
        return regionSize;
    }

    /** The pipe capacity the writer works with. */
    public int pipeCapacity() {
        return pipeCapacity;
    }

    /** The ring size for {@link Policy#RECYCLE}, 0 for {@link Policy#FRESH}. */
    public long ringSize() {
        return ring == null ? 0 : ring.size();
    }

    /** The bytes committed into the pipe so far. */
    public long committed() {
        claimLock.lock();
        try {
            return committed;
        } finally {
            claimLock.unlock();
        }
    }

    /**
     * Claims the next region to fill. The claim belongs to this thread until it commits or aborts;
     * other threads' claims wait.
     *
     * @throws IllegalStateException if this thread already holds a claim, or the writer is closed
     */
    public Region claim() throws IOException {
        if (claimLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread already holds a claim: commit or abort it first");
        }
        claimLock.lock();
        boolean ok = false;
        try {
            if (closed) {
                throw new IllegalStateException("PipeWriter is closed");
            }
            if (claimed != null) {
                throw new IllegalStateException("this thread already holds a claim: commit or abort it first");
            }
            Region r;
            if (policy == Policy.FRESH) {
                NativeBuffer pages = hugePages ? Pipes.allocateHuge(regionSize) : Pipes.allocate(regionSize);
                r = new Region(pages, pages.asByteBuffer(0, regionSize), pages.slice(0, regionSize));
            } else {
                if (position + regionSize > ring.size()) {
                    position = 0;
                }
                r = new Region(null, ringView.slice((int) position, regionSize).order(ringView.order()),
                        IoVec.of(ringAddress + position, regionSize));
            }
            claimed = r;
            ok = true;
            return r;
        } finally {
            if (!ok) {
                claimLock.unlock();
            }
        }
    }

    /**
     * Splices the first {@code length} bytes of the claimed region into the pipe, all of them, and
     * releases the claim.
     */
    public void commit(Region region, int length) throws IOException {
        checkClaim(region);
        if (length < 0 || length > regionSize) {
            throw new IndexOutOfBoundsException("commit length out of range: length=" + length + " regionSize=" + regionSize);
        }
        try {
            if (length > 0) {
                holder[0] = length == regionSize ? region.segment : region.segment.slice(0, length);
                if (region.fresh != null && length % pageSize == 0) {
                    sink.vmspliceFully(one, SpliceFlag.GIFT);
                } else {
                    sink.vmspliceFully(one);
                }
                committed += length;
                if (region.fresh == null) {
                    position += length;
                }
            }
        } finally {
            release(region);
        }
    }

    /** Gives the claimed region back without sending anything. */
    public void abort(Region region) {
        checkClaim(region);
        release(region);
    }

    private void checkClaim(Region region) {
        if (!claimLock.isHeldByCurrentThread() || claimed != region) {
            throw new IllegalStateException("not the region this thread claimed");
        }
    }

    private void release(Region region) {
        if (region.fresh != null) {
            region.fresh.close(); // safe: the pipe holds its own references to the pages
        }
        claimed = null;
        claimLock.unlock();
    }

    /** Copies {@code len} bytes of {@code b} into claimed regions and commits them. */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        write(ByteBuffer.wrap(b, off, len));
    }

    /** Copies the remaining bytes of {@code src} (heap or direct) into claimed regions and commits them. */
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            Region r = claim();
            int n = Math.min(src.remaining(), regionSize);
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            r.buffer().put(part);
            commit(r, n);
            src.position(src.position() + n);
        }
    }

    /**
     * An {@link OutputStream} over this writer: bytes fill a region, which is committed when full,
     * on {@code flush()} and on {@code close()}. Existing code gets the vmsplice path without handling
     * memory. The stream holds a claim while it has unflushed bytes, so other threads' claims wait
     * until it flushes; use it from one thread. Closing the stream flushes it and leaves the writer
     * open.
     */
    public OutputStream asOutputStream() {
        claimLock.lock();
        try {
            if (stream == null) {
                stream = new Stream();
            }
            return stream;
        } finally {
            claimLock.unlock();
        }
    }

    private final class Stream extends OutputStream {
        private Region region;

        @Override
        public void write(int b) throws IOException {
            region().buffer().put((byte) b);
            if (!region.buffer().hasRemaining()) {
                flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                ByteBuffer buf = region().buffer();
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
                if (!buf.hasRemaining()) {
                    flush();
                }
            }
        }

        private Region region() throws IOException {
            if (region == null) {
                region = claim();
            }
            return region;
        }

        @Override
        public void flush() throws IOException {
            if (region != null) {
                Region r = region;
                region = null;
                commit(r, r.buffer().position());
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Commits what the stream adapter holds and releases the memory. Does not close the sink, and
     * does not wait for the consumer. Call it from the thread that uses the stream adapter.
     */
    @Override
    public void close() throws IOException {
        if (stream != null && stream.region != null && claimLock.isHeldByCurrentThread()) {
            stream.flush();
        }
        claimLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (ring != null) {
                ring.close(); // safe: the pipe holds its own references to the pages
            }
        } finally {
            claimLock.unlock();
        }
    }
}
