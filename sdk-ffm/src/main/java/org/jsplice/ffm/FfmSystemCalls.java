package org.jsplice.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.jsplice.internal.linux.Linux.AT_EMPTY_PATH;
import static org.jsplice.internal.linux.Linux.EFD_CLOEXEC;
import static org.jsplice.internal.linux.Linux.EFD_NONBLOCK;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;
import static org.jsplice.internal.linux.Linux.SYS_pidfd_open;
import static org.jsplice.internal.linux.Linux._SC_IOV_MAX;
import static org.jsplice.internal.linux.Linux._SC_PAGESIZE;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import org.jsplice.spi.SystemCalls;

/**
 * libc's calls through the JDK's linker: one downcall handle per function, made once, each
 * capturing {@code errno} into a per-thread segment ({@link Linker.Option#captureCallState}).
 * Pointers are passed as {@code long} addresses (LP64). Each call returns its result or minus the
 * errno. Thread-safe.
 */
final class FfmSystemCalls implements SystemCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** One capture segment per thread, so that steady calls allocate nothing. */
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

    private static final MethodHandle VMSPLICE = handle("vmsplice", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /**
     * vmsplice with {@code SPLICE_F_NONBLOCK}, which cannot wait: a critical downcall, without the
     * thread-state transitions of one that may block ({@link Linker.Option#critical}).
     */
    private static final MethodHandle VMSPLICE_NONBLOCK = handle("vmsplice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), Linker.Option.critical(false));
    private static final MethodHandle PREADV2 = handle("preadv2", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PWRITEV2 = handle("pwritev2", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SPLICE = handle("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle TEE = handle("tee", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = handle("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = handle("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE2 = handle("pipe2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MKFIFO = handle("mkfifo", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle STATX = handle("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MADVISE = handle("madvise", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = handle("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle EPOLL_WAIT = handle("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    /** The scratch memory of pipe ends: malloc and free cost the same however many threads run, where closing a shared arena makes a handshake with every one. */
    private static final MethodHandle CALLOC = LINKER.downcallHandle(LIBC.find("calloc").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LIBC.find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final MethodHandle SYSCALL_2 = handle("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle WAITID = handle("waitid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle KILL = handle("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYSCONF = handle("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));


    /** sysconf's answers, asked once, and only once native access is known to be enabled. */
    private static final class Sizes {
        static final long PAGE_SIZE = sysconf(_SC_PAGESIZE);
        static final int IOV_MAX = (int) sysconf(_SC_IOV_MAX);
    }

    /** The addresses {@link #allocate} handed out and {@link #free} has not taken back: a second free is a no-op. */
    private final java.util.Set<Long> allocations = ConcurrentHashMap.newKeySet();

    FfmSystemCalls() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)),
                descriptor, options);
    }

    /** The errno the last call on this thread captured, negated. */
    private static int errno(MemorySegment state) {
        return -(int) ERRNO_VALUE.get(state, 0L);
    }

    private static long check(long r, MemorySegment state) {
        return r >= 0 ? r : errno(state);
    }

    private static int check(int r, MemorySegment state) {
        return r >= 0 ? r : errno(state);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(STATE.get(), name);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long vmsplice(int fd, long iov, int count, int flags) {
        MemorySegment s = STATE.get();
        try {
            MethodHandle h = (flags & SPLICE_F_NONBLOCK) != 0 ? VMSPLICE_NONBLOCK : VMSPLICE;
            return check((long) h.invokeExact(s, fd, iov, (long) count, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long preadv2(int fd, long iov, int count, int flags) {
        MemorySegment s = STATE.get();
        try {
            return check((long) PREADV2.invokeExact(s, fd, iov, count, -1L, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long pwritev2(int fd, long iov, int count, int flags) {
        MemorySegment s = STATE.get();
        try {
            return check((long) PWRITEV2.invokeExact(s, fd, iov, count, -1L, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long splice(int fdIn, long offIn, int fdOut, long offOut, long length, int flags) {
        MemorySegment s = STATE.get();
        try {
            return check((long) SPLICE.invokeExact(s, fdIn, offIn, fdOut, offOut, length, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long tee(int fdIn, int fdOut, long length, int flags) {
        MemorySegment s = STATE.get();
        try {
            return check((long) TEE.invokeExact(s, fdIn, fdOut, length, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int poll(long fds, int count, int timeoutMillis) {
        MemorySegment s = STATE.get();
        try {
            return check((int) POLL.invokeExact(s, fds, (long) count, timeoutMillis), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int eventfd() {
        MemorySegment s = STATE.get();
        try {
            return check((int) EVENTFD.invokeExact(s, 0, EFD_CLOEXEC | EFD_NONBLOCK), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        MemorySegment s = STATE.get();
        try {
            return check((long) WRITE.invokeExact(s, fd, buf, count), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment s = STATE.get();
        try {
            int r = (int) CLOSE.invokeExact(s, fd);
            return r == 0 ? 0 : errno(s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        MemorySegment s = STATE.get();
        try {
            return check((int) FCNTL.invokeExact(s, fd, cmd, arg), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, long argp) {
        MemorySegment s = STATE.get();
        try {
            return check((int) IOCTL.invokeExact(s, fd, request, argp), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int open(String path, int flags, int mode) {
        MemorySegment s = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            return check((int) OPEN.invokeExact(s, a.allocateFrom(path).address(), flags, mode), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int pipe2(long fds, int flags) {
        MemorySegment s = STATE.get();
        try {
            return check((int) PIPE2.invokeExact(s, fds, flags), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mkfifo(String path, int mode) {
        MemorySegment s = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            return check((int) MKFIFO.invokeExact(s, a.allocateFrom(path).address(), mode), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int statx(int fd, int mask, long buf) {
        MemorySegment s = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            return check((int) STATX.invokeExact(s, fd, a.allocateFrom("").address(), AT_EMPTY_PATH, mask, buf), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long mmap(long length, int prot, int flags) {
        MemorySegment s = STATE.get();
        try {
            long r = (long) MMAP.invokeExact(s, 0L, length, prot, flags, -1, 0L);
            return r == -1 ? errno(s) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int munmap(long address, long length) {
        MemorySegment s = STATE.get();
        try {
            return check((int) MUNMAP.invokeExact(s, address, length), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int madvise(long address, long length, int advice) {
        MemorySegment s = STATE.get();
        try {
            return check((int) MADVISE.invokeExact(s, address, length, advice), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int epollCreate() {
        MemorySegment s = STATE.get();
        try {
            return check((int) EPOLL_CREATE1.invokeExact(s, EFD_CLOEXEC), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        MemorySegment s = STATE.get();
        try {
            return check((int) EPOLL_CTL.invokeExact(s, epfd, op, fd, event), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        MemorySegment s = STATE.get();
        try {
            return check((int) EPOLL_WAIT.invokeExact(s, epfd, events, maxEvents, timeoutMillis), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Zeroed memory from {@code calloc}, as a buffer of the global scope: the provider core touches
     * it only while its end is open and frees it once, after the last call.
     */
    @Override
    public ByteBuffer allocate(int bytes) {
        long address;
        try {
            address = (long) CALLOC.invokeExact(1L, (long) bytes);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("calloc(" + bytes + ") failed");
        }
        allocations.add(address);
        return MemorySegment.ofAddress(address).reinterpret(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public void free(ByteBuffer memory) {
        long address = address(memory);
        if (allocations.remove(address)) {
            try {
                FREE.invokeExact(address);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        MemorySegment segment = MemorySegment.ofBuffer(direct);
        if (!segment.scope().isAlive()) {
            // A view of a closed NativeBuffer: its memory is unmapped, and a call into it would
            // fail with EFAULT at best, or reach memory mapped there since.
            throw new IllegalStateException("a view of a closed NativeBuffer: " + direct);
        }
        return segment.address() - direct.position();
    }

    @Override
    public int iovMax() {
        return Sizes.IOV_MAX;
    }

    @Override
    public long pageSize() {
        return Sizes.PAGE_SIZE;
    }

    /**
     * glibc's {@code posix_spawn} family, looked up apart: two of them ({@code addclosefrom_np},
     * glibc 2.34; {@code addchdir_np}, 2.29) are missing from an older libc, and that must cost
     * child processes only (ENOSYS), never the pipes. They return an error number, not errno.
     */
    private static final class Spawn {
        static final MethodHandle SPAWNP = spawnHandle("posix_spawnp", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final MethodHandle FA_INIT = spawnHandle("posix_spawn_file_actions_init", JAVA_LONG);
        static final MethodHandle FA_DESTROY = spawnHandle("posix_spawn_file_actions_destroy", JAVA_LONG);
        static final MethodHandle FA_DUP2 = spawnHandle("posix_spawn_file_actions_adddup2", JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle FA_OPEN = spawnHandle("posix_spawn_file_actions_addopen", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle FA_CLOSEFROM = spawnHandle("posix_spawn_file_actions_addclosefrom_np", JAVA_LONG, JAVA_INT);
        static final MethodHandle FA_CHDIR = spawnHandle("posix_spawn_file_actions_addchdir_np", JAVA_LONG, JAVA_LONG);
        static final MethodHandle ATTR_INIT = spawnHandle("posix_spawnattr_init", JAVA_LONG);
        static final MethodHandle ATTR_DESTROY = spawnHandle("posix_spawnattr_destroy", JAVA_LONG);
        static final MethodHandle ATTR_FLAGS = spawnHandle("posix_spawnattr_setflags", JAVA_LONG, JAVA_SHORT);
        static final MethodHandle ATTR_PGROUP = spawnHandle("posix_spawnattr_setpgroup", JAVA_LONG, JAVA_INT);
        static final MethodHandle ATTR_SIGMASK = spawnHandle("posix_spawnattr_setsigmask", JAVA_LONG, JAVA_LONG);
        static final MethodHandle ATTR_SIGDEFAULT = spawnHandle("posix_spawnattr_setsigdefault", JAVA_LONG, JAVA_LONG);

        private static MethodHandle spawnHandle(String name, MemoryLayout... arguments) {
            return LIBC.find(name).map(f -> LINKER.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, arguments))).orElse(null);
        }
    }

    /** A posix_spawn function's error number, negated; ENOSYS when libc lacks it. */
    private static int spawnCall(MethodHandle h, Object... arguments) {
        if (h == null) {
            return -38; // ENOSYS
        }
        try {
            return -(int) h.invokeWithArguments(arguments);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int posixSpawnp(long pid, long file, long fileActions, long attr, long argv, long envp) {
        return spawnCall(Spawn.SPAWNP, pid, file, fileActions, attr, argv, envp);
    }

    @Override
    public int posixSpawnFileActionsInit(long fileActions) {
        return spawnCall(Spawn.FA_INIT, fileActions);
    }

    @Override
    public int posixSpawnFileActionsDestroy(long fileActions) {
        return spawnCall(Spawn.FA_DESTROY, fileActions);
    }

    @Override
    public int posixSpawnFileActionsAddDup2(long fileActions, int fd, int newFd) {
        return spawnCall(Spawn.FA_DUP2, fileActions, fd, newFd);
    }

    @Override
    public int posixSpawnFileActionsAddOpen(long fileActions, int fd, long path, int flags, int mode) {
        return spawnCall(Spawn.FA_OPEN, fileActions, fd, path, flags, mode);
    }

    @Override
    public int posixSpawnFileActionsAddClosefrom(long fileActions, int from) {
        return spawnCall(Spawn.FA_CLOSEFROM, fileActions, from);
    }

    @Override
    public int posixSpawnFileActionsAddChdir(long fileActions, long path) {
        return spawnCall(Spawn.FA_CHDIR, fileActions, path);
    }

    @Override
    public int posixSpawnattrInit(long attr) {
        return spawnCall(Spawn.ATTR_INIT, attr);
    }

    @Override
    public int posixSpawnattrDestroy(long attr) {
        return spawnCall(Spawn.ATTR_DESTROY, attr);
    }

    @Override
    public int posixSpawnattrSetflags(long attr, short flags) {
        return spawnCall(Spawn.ATTR_FLAGS, attr, flags);
    }

    @Override
    public int posixSpawnattrSetpgroup(long attr, int pgroup) {
        return spawnCall(Spawn.ATTR_PGROUP, attr, pgroup);
    }

    @Override
    public int posixSpawnattrSetsigmask(long attr, long sigmask) {
        return spawnCall(Spawn.ATTR_SIGMASK, attr, sigmask);
    }

    @Override
    public int posixSpawnattrSetsigdefault(long attr, long sigdefault) {
        return spawnCall(Spawn.ATTR_SIGDEFAULT, attr, sigdefault);
    }

    @Override
    public int pidfdOpen(int pid) {
        MemorySegment s = STATE.get();
        try {
            return (int) check((long) SYSCALL_2.invokeExact(s, SYS_pidfd_open, pid, 0), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int waitid(int idType, int id, long info, int options) {
        MemorySegment s = STATE.get();
        try {
            return check((int) WAITID.invokeExact(s, idType, id, info, options), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int kill(int pid, int signal) {
        MemorySegment s = STATE.get();
        try {
            return check((int) KILL.invokeExact(s, pid, signal), s);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
