package org.jsplice.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The cost of one JNA direct-mapped call, the binding sdk-jna uses for every system call: prints
 * the nanoseconds of one {@code sysconf(_SC_PAGESIZE)} (libc answers from memory, no system call)
 * made through {@code Native.register}, or with the argument {@code vmsplice} of one
 * {@code vmsplice(-1, NULL, 0, 0)} (the kernel refuses it with {@code EBADF} at once), the median
 * of 7 rounds after a warm-up. The harness subtracts the same call made from C. The second is the
 * call jsplice makes, with its four arguments: JNA spends more on it than on sysconf's one (on
 * an EPYC guest, 230 ns against 90).
 *
 * <pre>JnaCallCost [vmsplice]</pre>
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

    private static native long vmsplice(int fd, long iov, long count, int flags);

    private static long call(boolean vmspliceShaped) {
        return vmspliceShaped ? vmsplice(-1, 0, 0, 0) : sysconf(SC_PAGESIZE);
    }

    public static void main(String[] args) {
        boolean vmspliceShaped = args.length > 0 && args[0].equals("vmsplice");
        int calls = vmspliceShaped ? CALLS / 5 : CALLS;
        long sink = 0;
        for (int i = 0; i < 3 * calls; i++) {
            sink += call(vmspliceShaped);
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += call(vmspliceShaped);
            }
            rounds[r] = (System.nanoTime() - t0) / (double) calls;
        }
        java.util.Arrays.sort(rounds);
        if (sink == 0) {
            throw new AssertionError("the calls returned 0");
        }
        System.out.printf(java.util.Locale.ROOT, "%.2f%n", rounds[rounds.length / 2]);
    }
}
