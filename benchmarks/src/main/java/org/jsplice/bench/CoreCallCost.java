package org.jsplice.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;
import org.jsplice.internal.linux.LinuxPipeEnd;
import org.jsplice.internal.linux.LinuxPipeSink;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * What jsplice's core adds to one {@code vmspliceFully} beyond the system call: the nanoseconds of
 * a one-segment call of {@code SIZE} bytes (default 4 KiB) through a sink whose {@code vmsplice}
 * binding returns at once, having moved every byte, without entering the kernel (every other
 * binding is the discovered provider's own). The median of 9 rounds after a warm-up; compare it with
 * {@code JnaCallCost}, the price of the binding itself.
 *
 * <pre>CoreCallCost [SIZE]</pre>
 */
public final class CoreCallCost {
    private static final int CALLS = 5_000_000;

    private CoreCallCost() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        Method raw = NativePipeProvider.class.getDeclaredMethod("raw");
        raw.setAccessible(true);
        SystemCalls real = (SystemCalls) raw.invoke(Pipes.provider());
        try (Pipe pipe = Pipes.open(); NativeBuffer memory = Pipes.allocate(size)) {
            LinuxPipeSink sink = new LinuxPipeSink(new Instant(real, size), ((LinuxPipeEnd) pipe.sink()).fd(), false);
            List<IoVec> one = Arrays.asList(memory.slice(0, size));
            long sink0 = 0;
            for (int i = 0; i < 2 * CALLS; i++) {
                sink0 += sink.vmspliceFully(one);
            }
            double[] rounds = new double[9];
            for (int r = 0; r < rounds.length; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    sink0 += sink.vmspliceFully(one);
                }
                rounds[r] = (System.nanoTime() - t0) / (double) CALLS;
            }
            Arrays.sort(rounds);
            if (sink0 != (long) (2 * CALLS + rounds.length * CALLS) * size) {
                throw new IOException("a call did not move every byte");
            }
            System.out.printf(Locale.ROOT, "%.1f%n", rounds[rounds.length / 2]);
        }
    }

    /** The provider's bindings, but a {@code vmsplice} that moves {@code bytes} without a system call. */
    private static final class Instant implements SystemCalls {
        private final SystemCalls real;
        private final long bytes;

        Instant(SystemCalls real, long bytes) {
            this.real = real;
            this.bytes = bytes;
        }

        @Override
        public long vmsplice(int fd, long iov, int count, int flags) {
            return bytes;
        }

        @Override
        public long preadv2(int fd, long iov, int count, int flags) {
            return real.preadv2(fd, iov, count, flags);
        }

        @Override
        public long pwritev2(int fd, long iov, int count, int flags) {
            return real.pwritev2(fd, iov, count, flags);
        }

        @Override
        public long splice(int fdIn, long offIn, int fdOut, long offOut, long length, int flags) {
            return real.splice(fdIn, offIn, fdOut, offOut, length, flags);
        }

        @Override
        public long tee(int fdIn, int fdOut, long length, int flags) {
            return real.tee(fdIn, fdOut, length, flags);
        }

        @Override
        public int poll(long fds, int count, int timeoutMillis) {
            return real.poll(fds, count, timeoutMillis);
        }

        @Override
        public int eventfd() {
            return real.eventfd();
        }

        @Override
        public long write(int fd, long buf, long count) {
            return real.write(fd, buf, count);
        }

        @Override
        public int close(int fd) {
            return real.close(fd);
        }

        @Override
        public int fcntl(int fd, int cmd, int arg) {
            return real.fcntl(fd, cmd, arg);
        }

        @Override
        public int ioctl(int fd, long request, long argp) {
            return real.ioctl(fd, request, argp);
        }

        @Override
        public int open(String path, int flags, int mode) {
            return real.open(path, flags, mode);
        }

        @Override
        public int pipe2(long fds, int flags) {
            return real.pipe2(fds, flags);
        }

        @Override
        public int mkfifo(String path, int mode) {
            return real.mkfifo(path, mode);
        }

        @Override
        public int statx(int fd, int mask, long buf) {
            return real.statx(fd, mask, buf);
        }

        @Override
        public int epollCreate() {
            return real.epollCreate();
        }

        @Override
        public int epollCtl(int epfd, int op, int fd, long event) {
            return real.epollCtl(epfd, op, fd, event);
        }

        @Override
        public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
            return real.epollWait(epfd, events, maxEvents, timeoutMillis);
        }

        @Override
        public long mmap(long length, int prot, int flags) {
            return real.mmap(length, prot, flags);
        }

        @Override
        public int munmap(long address, long length) {
            return real.munmap(address, length);
        }

        @Override
        public int madvise(long address, long length, int advice) {
            return real.madvise(address, length, advice);
        }

        @Override
        public ByteBuffer allocate(int bytes) {
            return real.allocate(bytes);
        }

        @Override
        public void free(ByteBuffer memory) {
            real.free(memory);
        }

        @Override
        public long address(ByteBuffer direct) {
            return real.address(direct);
        }

        @Override
        public int iovMax() {
            return real.iovMax();
        }

        @Override
        public long pageSize() {
            return real.pageSize();
        }
    }
}
