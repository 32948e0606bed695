package org.jsplice.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The limits Linux sets on pipe sizes for a process without {@code CAP_SYS_RESOURCE}, read when a
 * size is refused, so that the error can name the limit that refused it:
 * <ul>
 *   <li>{@code /proc/sys/fs/pipe-max-size}: the most one pipe may be grown to (1 MiB by default);</li>
 *   <li>{@code /proc/sys/fs/pipe-user-pages-soft}: the pages all of a user's pipes may hold (16384,
 *       64 MiB, by default); past it growing fails, and new pipes open with 2 pages (8 KiB);</li>
 *   <li>{@code /proc/sys/fs/pipe-user-pages-hard}: the same, without the new pipes (0: none).</li>
 * </ul>
 */
public final class PipeLimits {
    private static final Path DIR = Paths.get("/proc/sys/fs");

    private PipeLimits() {
    }

    /**
     * A limit's value now, or -1 where it cannot be read.
     *
     * @param name {@code pipe-max-size}, {@code pipe-user-pages-soft} or {@code pipe-user-pages-hard}
     * @return the value
     */
    public static long read(String name) {
        try {
            return Long.parseLong(Files.readAllLines(DIR.resolve(name)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * {@code pipe-max-size} now, or -1.
     *
     * @return the bytes
     */
    public static long maxSize() {
        return read("pipe-max-size");
    }

    /**
     * Why {@code F_SETPIPE_SZ} to {@code bytes} said {@code EPERM}, naming the limit and its value.
     *
     * @param bytes the size asked for
     * @return the explanation
     */
    public static String explainRefusal(long bytes) {
        long max = maxSize();
        if (max > 0 && bytes > max) {
            return "bytes=" + bytes + " is above /proc/sys/fs/pipe-max-size=" + max
                    + ", the most one pipe may hold without CAP_SYS_RESOURCE";
        }
        long soft = read("pipe-user-pages-soft");
        long hard = read("pipe-user-pages-hard");
        return "this user's pipes would hold more than /proc/sys/fs/pipe-user-pages-soft=" + soft + " pages"
                + (soft > 0 ? " (" + (soft << 12 >> 20) + " MiB)" : "")
                + (hard > 0 ? " or pipe-user-pages-hard=" + hard : "")
                + " in all, the most a user without CAP_SYS_RESOURCE may have; past the soft limit new pipes open"
                + " with 2 pages (8 KiB)";
    }
}
