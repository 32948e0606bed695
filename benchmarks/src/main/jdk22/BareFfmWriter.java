import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The control for jsplice's FFM provider: the loop of {@code pipebench.c}'s writer written on the
 * JDK's foreign-function API alone, without jsplice. {@code vmsplice} from a ring of max(2 x pipe,
 * pipe + seg), as {@code pipebench w vmsplice}, or {@code write(2)} of one segment, as {@code
 * pipebench w write}; blocking calls, each retried for what is left, and on {@code EINTR}. {@code
 * vmsplice-critical}: a critical downcall ({@code Linker.Option.critical}) of {@code vmsplice} with
 * {@code SPLICE_F_NONBLOCK}, retried at once on {@code EAGAIN} (as {@code pipebench w vmsplice -b}).
 * Every handle captures errno as jsplice's do. The last segment is cut to what is left of TOTAL.
 * Not built by Maven: run it from its source on JDK 22 or later, standard output a pipe (sizes take
 * K, M and G):
 *
 * <pre>
 * $J25 --enable-native-access=ALL-UNNAMED benchmarks/src/main/jdk22/BareFfmWriter.java vmsplice|vmsplice-critical|write TOTAL SEG PIPE \
 *     | pipebench r splice -s SEG -p 1M -n TOTAL
 * </pre>
 */
public final class BareFfmWriter {
    private static final int F_SETPIPE_SZ = 1031;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    public static void main(String[] args) throws Throwable {
        if (args.length != 4) {
            System.err.println("usage: BareFfmWriter vmsplice|vmsplice-critical|write TOTAL SEG PIPE");
            System.exit(2);
        }
        boolean critical = args[0].equals("vmsplice-critical");
        boolean vmsplice = switch (args[0]) {
            case "vmsplice", "vmsplice-critical" -> true;
            case "write" -> false;
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        long total = size(args[1]);
        int seg = (int) size(args[2]);
        int pipe = (int) size(args[3]);
        if (seg <= 0 || seg % 4096 != 0) {
            throw new IllegalArgumentException("SEG must be a positive multiple of 4096: " + seg);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MemoryLayout stateLayout = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        FunctionDescriptor vmspliceD = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
        MethodHandle vmspliceH = critical
                ? linker.downcallHandle(libc.find("vmsplice").orElseThrow(), vmspliceD, errno, Linker.Option.critical(false))
                : linker.downcallHandle(libc.find("vmsplice").orElseThrow(), vmspliceD, errno);
        MethodHandle writeH = linker.downcallHandle(libc.find("write").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        MethodHandle fcntl = linker.downcallHandle(libc.find("fcntl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        int capacity = (int) fcntl.invokeExact(1, F_SETPIPE_SZ, pipe);
        if (capacity < 0) {
            throw new IllegalStateException("standard output is not a pipe whose size can be set to " + pipe);
        }
        int flags = critical ? SPLICE_F_NONBLOCK : 0;
        long ring = vmsplice ? Math.max(2L * capacity, (long) capacity + seg) : seg;
        ring = (ring + seg - 1) / seg * seg;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(ring, 4096);
            for (long i = 0; i < ring; i += 8) {
                memory.set(JAVA_LONG, i, i); // every page touched now, so faults are not timed
            }
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment state = arena.allocate(stateLayout);
            long base = memory.address();
            long pos = 0;
            long calls = 0;
            long again = 0;
            long t0 = System.nanoTime();
            for (long sent = 0; sent < total; ) {
                long len = Math.min(seg, total - sent);
                long done = 0;
                while (done < len) {
                    long r;
                    if (vmsplice) {
                        iov.set(JAVA_LONG, 0, base + pos + done);
                        iov.set(JAVA_LONG, 8, len - done);
                        r = (long) vmspliceH.invokeExact(state, 1, iov.address(), 1L, flags);
                    } else {
                        r = (long) writeH.invokeExact(state, 1, base + done, len - done);
                    }
                    calls++;
                    if (r < 0) {
                        int e = (int) errnoHandle.get(state, 0L);
                        if (e == EINTR || e == EAGAIN && critical) {
                            again++;
                            continue;
                        }
                        throw new IllegalStateException(args[0] + " failed with errno " + e + " after " + (sent + done) + " bytes");
                    }
                    done += r;
                }
                sent += len;
                if (vmsplice) {
                    pos += seg;
                    if (pos >= ring) {
                        pos = 0;
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf("BAREFFM mode=%s seg=%d pipe=%d ring=%d bytes=%d calls=%d again=%d secs=%.4f gibps=%.3f%n",
                    args[0], seg, capacity, ring, total, calls, again, secs, total / secs / (1L << 30));
        }
    }

    /** A size as pipebench takes it: digits, then K, M or G (powers of 1024). */
    private static long size(String s) {
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        int shift = last == 'K' ? 10 : last == 'M' ? 20 : last == 'G' ? 30 : 0;
        return Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1)) << shift;
    }
}
