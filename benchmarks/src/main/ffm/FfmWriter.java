import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The reference point of the end-to-end harness for the JDK's own foreign-function API (Java 22 or
 * later): pipebench's vmsplice writer written with java.lang.foreign, the same ring, the same memory
 * (mmap, 2 MiB aligned with MADV_HUGEPAGE for "huge"), one vmsplice(2) per segment. Not part of
 * jsplice; the harness compiles it with a JDK that has the API, when one is installed.
 *
 * <pre>FfmWriter TOTAL SEG PIPE [huge]</pre>
 */
public final class FfmWriter {
    private static final long HUGE = 2L << 20;

    public static void main(String[] args) throws Throwable {
        long total = Long.parseLong(args[0]);
        long seg = Long.parseLong(args[1]);
        int pipe = Integer.parseInt(args[2]);
        boolean huge = args.length > 3 && args[3].equals("huge");
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG;
        MethodHandle vmsplice = linker.downcallHandle(libc.find("vmsplice").orElseThrow(),
                FunctionDescriptor.of(i64, i32, ValueLayout.ADDRESS, i64, i32));
        MethodHandle fcntl = linker.downcallHandle(libc.find("fcntl").orElseThrow(),
                FunctionDescriptor.of(i32, i32, i32, i32), Linker.Option.firstVariadicArg(2));
        MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(i64, i64, i64, i32, i32, i32, i64));
        MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                FunctionDescriptor.of(i32, i64, i64, i32));

        int capacity = (int) fcntl.invokeExact(1, 1031 /* F_SETPIPE_SZ */, pipe);
        if (capacity < 0) {
            throw new IllegalStateException("F_SETPIPE_SZ failed: is standard output a pipe?");
        }
        long ring = Math.max(2L * capacity, capacity + seg);
        ring = (ring + seg - 1) / seg * seg;
        long align = huge ? HUGE : 4096;
        long length = (ring + align - 1) / align * align;
        long raw = (long) mmap.invokeExact(0L, length + align, 0x3 /* RW */, 0x22 /* PRIVATE|ANONYMOUS */, -1, 0L);
        if (raw == -1) {
            throw new IllegalStateException("mmap failed");
        }
        long base = (raw + align - 1) & -align;
        int advised = (int) madvise.invokeExact(base, length, huge ? 14 /* MADV_HUGEPAGE */ : 15 /* MADV_NOHUGEPAGE */);
        if (advised != 0) {
            throw new IllegalStateException("madvise failed");
        }
        MemorySegment memory = MemorySegment.ofAddress(base).reinterpret(length);
        memory.fill((byte) 0x5a); // every page touched before the first call, as the other writers do

        MemorySegment iov = Arena.global().allocate(16, 8);
        long pos = 0;
        for (long sent = 0; sent < total; sent += seg) {
            long done = 0;
            while (done < seg) {
                iov.set(i64, 0, base + pos + done);
                iov.set(i64, 8, seg - done);
                long r = (long) vmsplice.invokeExact(1, iov, 1L, 0);
                if (r < 0) {
                    throw new IllegalStateException("vmsplice failed");
                }
                done += r;
            }
            pos += seg;
            if (pos >= ring) {
                pos = 0;
            }
        }
    }
}
