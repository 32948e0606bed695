package org.jsplice.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The cost of one JNA direct-mapped call, the binding sdk-jna uses for every system call: prints
 * the nanoseconds of one {@code sysconf(_SC_PAGESIZE)} (libc answers from memory, no system call)
 * made through {@code Native.register}, the median of 7 rounds after a warm-up. The harness
 * subtracts the same call made from C.
 */
public final class JnaCallCost {
    private static final int SC_PAGESIZE = 30;
    private static final int CALLS = 2_000_000;

    static {
        Native.register(JnaCallCost.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private JnaCallCost() {
    }

    private static native long sysconf(int name);

    public static void main(String[] args) {
        long sink = 0;
        for (int i = 0; i < 3 * CALLS; i++) {
            sink += sysconf(SC_PAGESIZE);
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                sink += sysconf(SC_PAGESIZE);
            }
            rounds[r] = (System.nanoTime() - t0) / (double) CALLS;
        }
        java.util.Arrays.sort(rounds);
        if (sink == 0) {
            throw new AssertionError("sysconf returned 0");
        }
        System.out.printf(java.util.Locale.ROOT, "%.2f%n", rounds[rounds.length / 2]);
    }
}
