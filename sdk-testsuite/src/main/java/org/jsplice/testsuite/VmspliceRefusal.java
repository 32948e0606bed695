package org.jsplice.testsuite;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;

/**
 * A real seccomp filter that fails {@code vmsplice(2)} with a chosen errno and lets every other call
 * through: the regime of a container that forbids the call ({@code EPERM}), a kernel without it
 * ({@code ENOSYS}), or a kernel whose {@code vmsplice} copies and refuses {@code SPLICE_F_GIFT} and
 * {@code SPLICE_F_NONBLOCK} ({@code EOPNOTSUPP}). A filter never comes off: install it in a process
 * of its own ({@link SeccompFallbackSuite} starts a JVM for it). Not thread-safe; x86-64 and
 * AArch64 only.
 */
public final class VmspliceRefusal {
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;

    private VmspliceRefusal() {
    }

    /**
     * Installs the filter on the calling thread, and so on every thread it starts from now on.
     *
     * @param errno what {@code vmsplice} fails with
     */
    public static void onThisThread(int errno) {
        Memory fprog = program(errno);
        if (TestNatives.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || TestNatives.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, Pointer.nativeValue(fprog), 0, 0) != 0) {
            throw new IllegalStateException("seccomp filter refused: errno " + TestNatives.errno());
        }
        Reference.reachabilityFence(fprog);
    }

    /**
     * Installs the filter on every thread of the process at once ({@code SECCOMP_FILTER_FLAG_TSYNC}),
     * the threads the JVM runs already included; threads started later inherit it.
     *
     * @param errno what {@code vmsplice} fails with
     */
    public static void onEveryThread(int errno) {
        Memory fprog = program(errno);
        if (TestNatives.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS) failed: errno " + TestNatives.errno());
        }
        long r = TestNatives.syscall(numbers()[2], SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, Pointer.nativeValue(fprog));
        if (r != 0) {
            throw new IllegalStateException("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) returned " + r + ": errno " + TestNatives.errno()
                    + (r > 0 ? " (thread " + r + " could not take the filter)" : ""));
        }
        Reference.reachabilityFence(fprog);
    }

    /**
     * A {@code vmsplice} of one byte into a new pipe on the calling thread, bound apart from every
     * provider: 1 where the call runs, {@code -errno} where it is refused.
     *
     * @return the bytes moved, or {@code -errno}
     */
    public static long rawVmsplice() {
        int[] fds = new int[2];
        if (TestNatives.pipe2(fds, TestNatives.O_CLOEXEC) != 0) {
            throw new IllegalStateException("pipe2 failed: errno " + TestNatives.errno());
        }
        Memory one = new Memory(4096);
        Memory iov = new Memory(16);
        one.setByte(0, (byte) 1);
        iov.setPointer(0, one);
        iov.setLong(8, 1);
        try {
            long r = TestNatives.vmsplice(fds[1], Pointer.nativeValue(iov), 1, 0);
            return r < 0 ? -TestNatives.errno() : r;
        } finally {
            TestNatives.close(fds[0]);
            TestNatives.close(fds[1]);
        }
    }

    /** This machine's audit architecture, then the numbers of {@code vmsplice} and {@code seccomp}. */
    private static int[] numbers() {
        if (Platform.isIntel() && Platform.is64Bit()) {
            return new int[] {0xC000003E, 278, 317};
        }
        if (Platform.isARM() && Platform.is64Bit()) {
            return new int[] {0xC00000B7, 75, 277};
        }
        throw new UnsupportedOperationException("no seccomp numbers for " + Platform.ARCH);
    }

    /** The {@code struct sock_fprog}: vmsplice fails with {@code errno}, everything else runs. */
    private static Memory program(int errno) {
        int[] numbers = numbers();
        int[][] program = {
            {0x20, 0, 0, 4},                         // ld [arch]
            {0x15, 0, 3, numbers[0]},                // jeq arch ? next : allow
            {0x20, 0, 0, 0},                         // ld [nr]
            {0x15, 0, 1, numbers[1]},                // jeq vmsplice ? deny : allow
            {0x06, 0, 0, SECCOMP_RET_ERRNO | errno}, // deny
            {0x06, 0, 0, SECCOMP_RET_ALLOW},          // allow
        };
        Memory filter = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            filter.setShort(8L * i, (short) program[i][0]);
            filter.setByte(8L * i + 2, (byte) program[i][1]);
            filter.setByte(8L * i + 3, (byte) program[i][2]);
            filter.setInt(8L * i + 4, program[i][3]);
        }
        Memory fprog = new KeptMemory(16, filter);
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setPointer(8, filter);
        return fprog;
    }

    /** The program's memory, which holds the filter's so that neither is freed before the call. */
    private static final class KeptMemory extends Memory {
        @SuppressWarnings("unused")
        private final Memory filter;

        KeptMemory(long size, Memory filter) {
            super(size);
            this.filter = filter;
        }
    }
}
