import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The control for jsplice's FFM provider: the loop of {@code pipebench.c}'s writer written on the
 * JDK's foreign-function API alone, without jsplice. {@code vmsplice} from a ring of max(2 x pipe,
 * pipe + seg), as {@code pipebench w vmsplice}, or {@code write(2)} of one segment, as {@code
 * pipebench w write}; blocking calls, each retried for what is left. {@code vmsplice-critical}: a
 * critical downcall ({@code Linker.Option.critical}) of {@code vmsplice} with {@code
 * SPLICE_F_NONBLOCK}, retried at once on {@code EAGAIN} (as {@code pipebench w vmsplice -b}). Not built by Maven: run it from
 * its source on JDK 22 or later, standard output a pipe:
 *
 * <pre>
 * $J25 --enable-native-access=ALL-UNNAMED benchmarks/src/main/jdk22/BareFfmWriter.java vmsplice|vmsplice-critical|write TOTAL SEG PIPE | pipebench r splice -s SEG -p 1M
 * </pre>
 */
public final class BareFfmWriter {
    private static final int F_SETPIPE_SZ = 1031;
    private static final int SPLICE_F_NONBLOCK = 2;

    /** Whether a failed call's errno is EAGAIN; read through libc's errno location. */
    private static boolean eagains(long r) throws Throwable {
        MemorySegment errno = ((MemorySegment) ERRNO_LOCATION.invokeExact()).reinterpret(4);
        return errno.get(JAVA_INT, 0) == 11;
    }

    private static final MethodHandle ERRNO_LOCATION = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("__errno_location").orElseThrow(),
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS));

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
        long total = Long.parseLong(args[1]);
        int seg = Integer.parseInt(args[2]);
        int pipe = Integer.parseInt(args[3]);
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        FunctionDescriptor vmspliceD = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
        MethodHandle vmspliceH = critical
                ? linker.downcallHandle(libc.find("vmsplice").orElseThrow(), vmspliceD, Linker.Option.critical(false))
                : linker.downcallHandle(libc.find("vmsplice").orElseThrow(), vmspliceD);
        int flags = critical ? SPLICE_F_NONBLOCK : 0;
        MethodHandle writeH = linker.downcallHandle(libc.find("write").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        MethodHandle fcntl = linker.downcallHandle(libc.find("fcntl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        int capacity = (int) fcntl.invokeExact(1, F_SETPIPE_SZ, pipe);
        if (capacity < 0) {
            throw new IllegalStateException("standard output is not a pipe whose size can be set to " + pipe);
        }
        long ring = vmsplice ? Math.max(2L * capacity, (long) capacity + seg) : seg;
        ring = (ring + seg - 1) / seg * seg;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(ring, 4096);
            for (long i = 0; i < ring; i += 8) {
                memory.set(JAVA_LONG, i, i); // every page touched now, so faults are not timed
            }
            MemorySegment iov = arena.allocate(16, 8);
            long base = memory.address();
            long pos = 0;
            long calls = 0;
            long t0 = System.nanoTime();
            for (long sent = 0; sent < total; sent += seg) {
                long done = 0;
                while (done < seg) {
                    long r;
                    if (vmsplice) {
                        iov.set(JAVA_LONG, 0, base + pos + done);
                        iov.set(JAVA_LONG, 8, seg - done);
                        r = (long) vmspliceH.invokeExact(1, iov.address(), 1L, flags);
                    } else {
                        r = (long) writeH.invokeExact(1, base + done, (long) (seg - done));
                    }
                    calls++;
                    if (r < 0 && critical && eagains(r)) {
                        continue;
                    }
                    if (r < 0) {
                        throw new IllegalStateException((vmsplice ? "vmsplice" : "write") + " failed after " + sent + " bytes");
                    }
                    done += r;
                }
                if (vmsplice) {
                    pos += seg;
                    if (pos >= ring) {
                        pos = 0;
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf("BAREFFM mode=%s seg=%d pipe=%d ring=%d bytes=%d calls=%d secs=%.4f gibps=%.3f%n",
                    args[0], seg, capacity, ring, total, calls, secs, total / secs / (1L << 30));
        }
    }
}
