package org.jsplice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsplice.PipeWriter.Mode;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.internal.PipeLimits;
import org.jsplice.spi.PipeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to build a {@link PipeWriter}: {@link PipeWriter#builder(PipeSink)}. Not thread-safe.
 */
public final class PipeWriterBuilder {
    private static final AtomicBoolean CAPACITY_LOGGED = new AtomicBoolean();
    private static final Logger LOG = LoggerFactory.getLogger(PipeWriter.class);
    /** See {@link #stallTimeout(Duration)}. */
    static final Duration DEFAULT_STALL = Duration.ofSeconds(30);

    final PipeSink sink;
    Policy policy = Policy.SAFE;
    private Mode mode;
    long regionSize = 256 << 10;
    private int pipeCapacity = 1 << 20;
    /** Why the pipe has another capacity than asked, or null; set by {@link #build()}. */
    String capacityNote;
    private long ringSize;
    private boolean hugePages = true;
    long stallNanos = DEFAULT_STALL.toNanos();

    PipeWriterBuilder(PipeSink sink) {
        this.sink = sink;
    }

    /**
     * {@link Policy#SAFE} unless told otherwise.
     *
     * @param policy {@link Policy#SAFE} or {@link Policy#RECYCLE}
     * @return this builder
     */
    public PipeWriterBuilder policy(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * For {@link Policy#SAFE}: {@link Mode#FRESH_PAGES} or {@link Mode#COPY} instead of the
     * writer's own choice (fresh pages where huge pages are granted, else copies). Where the
     * kernel's {@code vmsplice} copies, the writer runs {@link Mode#KERNEL_COPIES} whatever is
     * asked, and where {@code vmsplice} is refused ({@link VmspliceSemantics#REFUSED}) it runs
     * {@link Mode#COPY}.
     *
     * @param mode {@link Mode#FRESH_PAGES} or {@link Mode#COPY}
     * @return this builder
     */
    public PipeWriterBuilder mode(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.FRESH_PAGES && mode != Mode.COPY) {
            throw new IllegalArgumentException("mode must be FRESH_PAGES or COPY: mode=" + mode
                    + " (KERNEL_COPIES follows from the kernel, RING from Policy.RECYCLE)");
        }
        this.mode = mode;
        return this;
    }

    /**
     * Bytes per region, rounded down to whole pages (at least one), at most 64 MiB; 256 KiB by default.
     *
     * @param bytes the size wanted
     * @return this builder
     */
    public PipeWriterBuilder regionSize(long bytes) {
        if (bytes <= 0 || bytes > PipeWriter.MAX_REGION) {
            throw new IllegalArgumentException("regionSize must be between 1 and " + PipeWriter.MAX_REGION + ": bytes=" + bytes);
        }
        this.regionSize = bytes;
        return this;
    }

    /**
     * The pipe capacity to ask for, 1 MiB by default. Where the kernel refuses it to a process
     * without {@code CAP_SYS_RESOURCE}, the writer takes what this user may have: a size above
     * {@code /proc/sys/fs/pipe-max-size} becomes that size, and past the user's
     * {@code pipe-user-pages-soft} the pipe keeps its capacity; the writer says so once in a log
     * line and always in {@link PipeWriter#toString()}. The writer does not depend on the
     * capacity: the consumer may resize the pipe at any time.
     *
     * @param bytes the capacity wanted, at least 1
     * @return this builder
     */
    public PipeWriterBuilder pipeCapacity(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("pipeCapacity must be positive: bytes=" + bytes);
        }
        this.pipeCapacity = bytes;
        return this;
    }

    /**
     * The ring for {@link Policy#RECYCLE}: 2 × the pipe capacity by default, never less than four
     * regions. A ring smaller than the bytes the pipe holds makes the writer wait for the
     * consumer more often, and never corrupts.
     *
     * @param bytes the ring's size
     * @return this builder
     */
    public PipeWriterBuilder ringSize(long bytes) {
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ringSize must be between 1 and " + Integer.MAX_VALUE + ": bytes="
                    + bytes);
        }
        this.ringSize = bytes;
        return this;
    }

    /**
     * Memory on 2 MiB transparent huge pages where the kernel grants them (the default); ordinary pages otherwise.
     *
     * @param hugePages whether to ask for huge pages
     * @return this builder
     */
    public PipeWriterBuilder hugePages(boolean hugePages) {
        this.hugePages = hugePages;
        return this;
    }

    /**
     * How long a {@link PipeWriter#claim()}, and so a {@link PipeWriter#write(ByteBuffer)} of a
     * record no larger than a region, waits for a region while every one is held by other threads'
     * claims, no claim ends, and one of them is held by a thread that is not committing it (a
     * stream with unflushed bytes, a claim a pooled thread forgot): then it fails with {@link
     * PipeWriterStalledException}, nothing of it sent. 30 seconds by default. Waits for the
     * consumer (a full pipe, or a {@link Policy#RECYCLE} ring whose bytes are still queued) are not
     * bounded by it, as a blocking write is not; a claim whose thread has ended is aborted within
     * about 20 ms of being needed, and a record larger than a region never waits for claims once it
     * has the commit lock.
     *
     * @param timeout how long, more than zero
     * @return this builder
     */
    public PipeWriterBuilder stallTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("stallTimeout must be more than zero: timeout=" + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        this.stallNanos = nanos;
        return this;
    }

    /**
     * Sets the pipe's capacity, chooses the mode and allocates the memory.
     *
     * @return the writer, which the caller closes
     * @throws IOException if the memory or the pipe's capacity cannot be had
     */
    public PipeWriter build() throws IOException {
        if (policy == Policy.RECYCLE && mode != null) {
            throw new IllegalStateException("mode(" + mode + ") applies to Policy.SAFE, not RECYCLE");
        }
        PipeProvider provider = sink.provider();
        long page = provider.pageSize();
        regionSize = Math.max(page, regionSize & -page);
        int granted;
        capacityNote = null;
        try {
            granted = sink.capacity(pipeCapacity);
        } catch (PipeException refused) {
            long max = refused.errno() == Errno.EPERM ? PipeLimits.maxSize() : -1;
            granted = -1;
            if (max > 0 && max < pipeCapacity) {
                try {
                    granted = sink.capacity((int) max);
                    capacityNote = "asked " + pipeCapacity + ", the most /proc/sys/fs/pipe-max-size allows";
                } catch (PipeException alsoRefused) {
                    refused = alsoRefused;
                }
            }
            if (granted < 0) {
                granted = sink.capacity();
                capacityNote = "asked " + pipeCapacity + ", refused: " + refused.getMessage();
            }
            if (CAPACITY_LOGGED.compareAndSet(false, true)) {
                LOG.info("PipeWriter's pipe holds {} bytes ({}); jsplice says this once", granted, capacityNote);
            }
        }
        boolean safe = policy == Policy.SAFE;
        WriterLayout layout = WriterLayout.choose(policy, mode, regionSize, granted, ringSize, hugePages,
                safe && hugePages && transparentHugePages(), safe ? Pipes.vmspliceSemantics() : null);
        NativeBuffer arena = provider.allocate(layout.size, layout.huge);
        if (layout.withoutHugePages != null && !arena.hugePages()) {
            arena.close();
            layout = layout.withoutHugePages;
            arena = provider.allocate(layout.size, layout.huge);
        }
        return new PipeWriter(this, granted, layout.mode, arena, layout.unitSize, layout.perUnit, layout.slots);
    }

    /**
     * Whether the kernel offers transparent huge pages to memory that asks for them: {@code
     * /sys/kernel/mm/transparent_hugepage/enabled} reads {@code [always]} or {@code [madvise]}.
     */
    static boolean transparentHugePages() {
        return Thp.ENABLED;
    }

    /** Read once: a writer built for each small run paid 0.12 ms for the file. */
    private static final class Thp {
        static final boolean ENABLED = read();

        private static boolean read() {
            try {
                String s = Files.readString(Paths.get("/sys/kernel/mm/transparent_hugepage/enabled"));
                return s.contains("[always]") || s.contains("[madvise]");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
