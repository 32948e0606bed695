package org.jsplice.internal;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account of the native memory that jsplice's mappings hold, which bounds what objects dropped
 * without {@code close()} may hold before the cleaner gives it back, as the JDK bounds its direct
 * buffers. The collector runs for heap memory only: a writer or buffer of a few KiB of heap may
 * hold megabytes of pages, so that, left to itself, a loop that drops them piles up gigabytes
 * before a collection finds them unreachable.
 *
 * <p>Each mapping has a {@link Share}: the bytes of it that may be resident (what was touched, or
 * all of it where its owner cannot tell), counted until the mapping is closed or unmapped. Before
 * mapping more, {@link #makeRoom} checks the total against the bound, the limit over what is in
 * use; past it, it asks for a collection ({@link System#gc()}) and waits while the cleaner gives
 * memory back, sleeping 1, 2, 4 … ms, 511 ms at most: until there is room, or until the cleaner,
 * once it has started on what the collection found, gives nothing back for three sleeps in a row.
 * Where the cleaner has not started after 63 ms, no collection ran ({@code -XX:+DisableExplicitGC}),
 * and the waits end there. What is still held then is in use: the allocation goes on all the same,
 * and the bound moves to what is held plus the limit, so that a program holding more than the limit
 * pays one collection per limit's worth of growth and is never refused. The bound comes down again as
 * memory is given back. Thread-safe; one thread helps at a time, the others wait for it and look again.
 */
public final class NativeMemory {
    /** The system property that sets the limit: bytes, or a number with k, m or g after it. */
    public static final String PROPERTY = "org.jsplice.maxNativeMemory";
    /** The limit unless the property says otherwise: 128 MiB. */
    public static final long DEFAULT_LIMIT = 128L << 20;
    /** 1 + 2 + … + 256 ms at most, as the JDK waits for its direct memory. */
    private static final int MAX_SLEEPS = 9;
    /** Sleeps in a row that saw nothing given back, after which the rest is taken to be in use. */
    private static final int IDLE_SLEEPS = 3;
    /** 1 + 2 + … + 32 ms without the cleaner starting on the collection's batch: no collection ran. */
    private static final int NO_COLLECTION_SLEEPS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

    /** The process's account, with the limit the property sets. */
    public static final NativeMemory PROCESS = new NativeMemory(limit(System.getProperty(PROPERTY)));

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    /** What was found in use at the last collection that could not make room, lowered as memory goes; the bound is this plus the limit. */
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final ReentrantLock helping = new ReentrantLock();
    private final AtomicBoolean overLogged = new AtomicBoolean();

    NativeMemory(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: limit=" + limit);
        }
        this.limit = limit;
    }

    /**
     * The limit a value of {@link #PROPERTY} sets: bytes, or kibibytes, mebibytes or gibibytes with
     * {@code k}, {@code m} or {@code g} after the number; {@link #DEFAULT_LIMIT} for null, and, with
     * a warning, for anything else that is not a positive size.
     */
    static long limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : v.endsWith("g") ? 30 : 0;
        try {
            long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
            if (n > 0 && n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // warned below
        }
        LOG.warn("{}={} is not a positive size (such as 268435456, 256m or 1g): jsplice keeps {} MiB", PROPERTY, value,
                DEFAULT_LIMIT >> 20);
        return DEFAULT_LIMIT;
    }

    /** {@return the bytes the shares count now} */
    public long held() {
        return held.get();
    }

    /** {@return how many collections {@link #makeRoom} has asked for} */
    public long collections() {
        return collections.get();
    }

    /** {@return a share of this account for one new mapping, counting nothing yet} */
    public Share share() {
        return new Share(this);
    }

    private boolean fits(long bytes) {
        return held.get() + bytes <= inUse.get() + limit;
    }

    /**
     * Waits, where {@code bytes} more would go over the bound, for a collection and the cleaner
     * to give back memory that dropped objects hold; returns at once otherwise, and, past the waits,
     * whatever was freed. An interrupt ends the waits and stays set.
     *
     * @param bytes what the caller is about to map and count
     */
    public void makeRoom(long bytes) {
        if (fits(bytes)) {
            return;
        }
        helping.lock();
        try {
            if (!fits(bytes)) {
                help(bytes);
            }
        } finally {
            helping.unlock();
        }
    }

    private void help(long bytes) {
        collections.incrementAndGet();
        // Tells when the cleaner has started on what this collection found: only then does a
        // sleep that sees nothing given back say that the rest is in use.
        AtomicBoolean cleaning = new AtomicBoolean();
        Cleaners.CLEANER.register(new Object(), () -> cleaning.set(true));
        System.gc();
        long last = held.get();
        for (int sleeps = 0, idle = 0; sleeps < MAX_SLEEPS && idle < IDLE_SLEEPS && !fits(bytes); sleeps++) {
            try {
                TimeUnit.MILLISECONDS.sleep(1L << sleeps);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = held.get();
            idle = now < last || !cleaning.get() ? 0 : idle + 1;
            last = now;
            if (!cleaning.get() && sleeps >= NO_COLLECTION_SLEEPS) {
                break; // no collection ran (-XX:+DisableExplicitGC, or a collector that ignores the call)
            }
        }
        if (!fits(bytes)) {
            long now = held.get();
            inUse.accumulateAndGet(now + bytes, Math::max);
            if (overLogged.compareAndSet(false, true)) {
                LOG.info("jsplice's writers and buffers hold {} MiB of native memory that a collection (if one ran) did not free, and "
                        + "{} MiB more were asked: past {}={} MiB, it goes on allocating, with a collection for each {} MiB "
                        + "more; jsplice says this once", now >> 20, bytes >> 20, PROPERTY, limit >> 20, limit >> 20);
            }
        }
    }

    private void moved(long delta) {
        long now = held.addAndGet(delta);
        if (delta < 0) {
            inUse.accumulateAndGet(now, Math::min);
        }
    }

    /**
     * One mapping's part of the account: the bytes of it that may be resident. It counts until
     * {@link #release()}, which the mapping's close or cleaner calls; after that it counts nothing
     * whatever it is told. Thread-safe.
     */
    public static final class Share {
        private final NativeMemory account;
        /** The bytes counted, or -1 once released. */
        private final AtomicLong bytes = new AtomicLong();

        private Share(NativeMemory account) {
            this.account = account;
        }

        /**
         * Counts {@code delta} bytes more (or fewer, if negative; never below none), without waiting.
         *
         * @param delta the change
         */
        public void add(long delta) {
            for (;;) {
                long v = bytes.get();
                long next = Math.max(0, v + delta);
                if (v < 0 || bytes.compareAndSet(v, next)) {
                    if (v >= 0 && next != v) {
                        account.moved(next - v);
                    }
                    return;
                }
            }
        }

        /** {@return the bytes counted now} */
        public long bytes() {
            return Math.max(0, bytes.get());
        }

        /** Stops counting: the memory is given back. Idempotent. */
        public void release() {
            long v = bytes.getAndSet(-1);
            if (v > 0) {
                account.moved(-v);
            }
        }
    }
}
