package org.jsplice.samples;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Live progress on standard error when it is a terminal, and the closing figure either way. Called
 * from the thread that moves the bytes; cheap when nothing is due.
 */
final class Progress {
    private static final long EVERY_NANOS = 500_000_000L;

    private final String verb;
    private final long total;
    private final boolean live;
    private final PrintStream err = System.err;
    private long start = -1;
    private long next;

    Progress(String verb, long total) {
        this.verb = verb;
        this.total = total;
        this.live = stderrIsATerminal();
    }

    /** Standard error is a terminal when descriptor 2 names one (a character device such as /dev/null is not). */
    private static boolean stderrIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Marks the first byte: the rate counts from here. */
    void start() {
        if (start < 0) {
            start = System.nanoTime();
            next = start + EVERY_NANOS;
        }
    }

    void update(long done) {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (now >= next) {
            next = now + EVERY_NANOS;
            err.printf(Locale.ROOT, "\r%s %s%s  %.2f GiB/s   ", verb, Sizes.format(done),
                    total > 0 ? " of " + Sizes.format(total) : "", rate(done, now));
        }
    }

    private double rate(long done, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        return done / seconds / (1 << 30);
    }

    /** The closing line on standard error. */
    void finish(long done, String how) {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        if (live) {
            err.print("\r");
        }
        err.printf(Locale.ROOT, "%s %s in %.2f s: %.2f GiB/s (%s)%n", verb, Sizes.format(done), (now - start) / 1e9,
                rate(done, now), how);
    }
}
