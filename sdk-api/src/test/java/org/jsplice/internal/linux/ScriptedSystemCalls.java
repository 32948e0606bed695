package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.STATX_MODE_OFFSET;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jsplice.spi.SystemCalls;

/**
 * System calls that never reach the kernel: each transfer call answers the next value of its
 * script (bytes moved, or minus an errno), and every call is recorded with the iovecs it was
 * given. For the core's paths that a real pipe cannot be made to take on demand: short transfers,
 * {@code EAGAIN}, {@code EINTR}, refusals, a copy path whose twin descriptor cannot be opened.
 * Memory is direct {@code ByteBuffer}s at made-up addresses, which only this class reads.
 * One thread.
 */
final class ScriptedSystemCalls implements SystemCalls {
    static final int PAGE = 4096;
    private static final long BASE = 0x7000_0000_0000L;
    private static final int S_IFIFO = 0010000;

    /** One recorded call: its name, descriptor, flags and the iovecs' (address, length) pairs. */
    static final class Call {
        final String name;
        final int fd;
        final int flags;
        final List<long[]> iovecs;

        Call(String name, int fd, int flags, List<long[]> iovecs) {
            this.name = name;
            this.fd = fd;
            this.flags = flags;
            this.iovecs = iovecs;
        }

        long bytes() {
            long n = 0;
            for (long[] v : iovecs) {
                n += v[1];
            }
            return n;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name + "(fd=" + fd + ", flags=" + flags);
            for (long[] v : iovecs) {
                sb.append(", [0x").append(Long.toHexString(v[0])).append(", ").append(v[1]).append(']');
            }
            return sb.append(')').toString();
        }
    }

    final Deque<Long> vmsplice = new ArrayDeque<>();
    final Deque<Long> pwritev2 = new ArrayDeque<>();
    final Deque<Integer> open = new ArrayDeque<>();
    final List<Call> calls = new ArrayList<>();
    private final Map<ByteBuffer, Long> addresses = new IdentityHashMap<>();
    private long next = BASE;
    private int nextFd = 100;
    /** The eventfds made, and those written to (readable, as the kernel's would be). */
    private final java.util.Set<Integer> eventfds = new java.util.HashSet<>();
    private final java.util.Set<Integer> signalled = new java.util.HashSet<>();
    /** The descriptors' flags for F_GETFL: write-only unless told otherwise. */
    int getfl = Linux.O_WRONLY;

    private static long take(Deque<Long> script, String name) {
        Long r = script.poll();
        if (r == null) {
            throw new AssertionError("no scripted answer left for " + name);
        }
        return r;
    }

    private ByteBuffer at(long address) {
        for (Map.Entry<ByteBuffer, Long> e : addresses.entrySet()) {
            if (address >= e.getValue() && address < e.getValue() + e.getKey().capacity()) {
                return e.getKey();
            }
        }
        throw new AssertionError("no scratch memory at 0x" + Long.toHexString(address));
    }

    private List<long[]> iovecs(long iov, int count) {
        ByteBuffer b = at(iov);
        int base = (int) (iov - addresses.get(b));
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new long[] {b.getLong(base + 16 * i), b.getLong(base + 16 * i + 8)});
        }
        return out;
    }

    long vmspliceCalls() {
        return calls.stream().filter(c -> c.name.equals("vmsplice")).count();
    }

    @Override
    public long vmsplice(int fd, long iov, int count, int flags) {
        calls.add(new Call("vmsplice", fd, flags, iovecs(iov, count)));
        return take(vmsplice, "vmsplice");
    }

    @Override
    public long preadv2(int fd, long iov, int count, int flags) {
        throw new AssertionError("preadv2 is not scripted");
    }

    @Override
    public long pwritev2(int fd, long iov, int count, int flags) {
        calls.add(new Call("pwritev2", fd, flags, iovecs(iov, count)));
        return take(pwritev2, "pwritev2");
    }

    @Override
    public long splice(int fdIn, long offIn, int fdOut, long offOut, long length, int flags) {
        throw new AssertionError("splice is not scripted");
    }

    @Override
    public long tee(int fdIn, int fdOut, long length, int flags) {
        throw new AssertionError("tee is not scripted");
    }

    /** Every descriptor asked about is ready at once for what it was asked; an eventfd once written to. */
    @Override
    public int poll(long fds, int count, int timeoutMillis) {
        ByteBuffer b = at(fds);
        int base = (int) (fds - addresses.get(b));
        List<long[]> asked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int fd = b.getInt(base + 8 * i);
            short events = b.getShort(base + 8 * i + 4);
            asked.add(new long[] {fd, events});
            boolean ready = !eventfds.contains(fd) || signalled.contains(fd);
            b.putShort(base + 8 * i + 6, ready ? (short) (events & (POLLIN | POLLOUT)) : 0);
        }
        calls.add(new Call("poll", -1, timeoutMillis, asked));
        return count;
    }

    /** Whether each eventfd is readable from the start, as no real one is before close writes to it. */
    boolean eventfdsStartReadable;

    @Override
    public int eventfd() {
        if (eventfdsStartReadable) {
            signalled.add(nextFd);
        }
        eventfds.add(nextFd);
        return nextFd++;
    }

    @Override
    public long write(int fd, long buf, long count) {
        signalled.add(fd);
        return count;
    }

    @Override
    public int close(int fd) {
        calls.add(new Call("close", fd, 0, List.of()));
        return 0;
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return cmd == Linux.F_GETFL ? getfl : 0;
    }

    @Override
    public int ioctl(int fd, long request, long argp) {
        return 0;
    }

    @Override
    public int open(String path, int flags, int mode) {
        calls.add(new Call("open " + path, -1, flags, List.of()));
        Integer r = open.poll();
        return r == null ? nextFd++ : r;
    }

    @Override
    public int pipe2(long fds, int flags) {
        throw new AssertionError("pipe2 is not scripted");
    }

    @Override
    public int mkfifo(String path, int mode) {
        throw new AssertionError("mkfifo is not scripted");
    }

    /** Every descriptor is a FIFO. */
    @Override
    public int statx(int fd, int mask, long buf) {
        ByteBuffer b = at(buf);
        b.putShort((int) (buf - addresses.get(b)) + STATX_MODE_OFFSET, (short) (S_IFIFO | 0600));
        return 0;
    }

    /** What each mmap answers, an address or minus an errno; once empty, a page-aligned address not on a 2 MiB boundary. */
    final Deque<Long> mmap = new ArrayDeque<>();
    /** What each madvise answers; once empty, 0. */
    final Deque<Integer> madvise = new ArrayDeque<>();

    @Override
    public long mmap(long length, int prot, int flags) {
        calls.add(new Call("mmap", -1, flags, List.of(new long[] {0, length})));
        Long r = mmap.poll();
        return r != null ? r : 0x7100_0000_0000L + PAGE;
    }

    @Override
    public int munmap(long address, long length) {
        calls.add(new Call("munmap", -1, 0, List.of(new long[] {address, length})));
        return 0;
    }

    @Override
    public int madvise(long address, long length, int advice) {
        calls.add(new Call("madvise", -1, advice, List.of(new long[] {address, length})));
        Integer r = madvise.poll();
        return r != null ? r : 0;
    }

    /** The recorded calls of one name, as their (address, length) pairs. */
    List<long[]> ranges(String name) {
        List<long[]> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.name.equals(name)) {
                out.add(c.iovecs.get(0));
            }
        }
        return out;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        addresses.put(b, next);
        next += (bytes + PAGE - 1) / PAGE * PAGE + PAGE;
        return b;
    }

    @Override
    public void free(ByteBuffer memory) {
        addresses.remove(memory);
    }

    @Override
    public long address(ByteBuffer direct) {
        Long a = addresses.get(direct);
        if (a == null) {
            throw new AssertionError("not memory of this fake: " + direct);
        }
        return a;
    }

    @Override
    public int iovMax() {
        return 1024;
    }

    @Override
    public long pageSize() {
        return PAGE;
    }
}
