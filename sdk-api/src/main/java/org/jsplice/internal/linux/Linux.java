package org.jsplice.internal.linux;

/**
 * The Linux ABI values jsplice passes to the kernel, in one place, with their C names and the
 * header each comes from. They are the same on x86-64 and arm64 except where an architecture is
 * named. Constants only; not instantiable.
 */
public final class Linux {
    private static final String ARCH = System.getProperty("os.arch", "");
    private static final boolean ARM = ARCH.contains("aarch64") || ARCH.contains("arm");

    // <fcntl.h>, <asm-generic/fcntl.h>
    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 00;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    /** Packet mode for {@code pipe2}; the one value here that differs between x86-64 and arm64. */
    public static final int O_DIRECT = ARM ? 0200000 : 040000;
    public static final int O_CLOEXEC = 02000000;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int SPLICE_F_NONBLOCK = 0x2;

    // <linux/fs.h>: preadv2/pwritev2
    public static final int RWF_NOWAIT = 0x8;

    // <asm-generic/ioctls.h>
    public static final long FIONREAD = 0x541B;

    // <asm-generic/unistd.h>: the same number on every architecture, as for every call since 424
    public static final long SYS_pidfd_open = 434;

    // <spawn.h>
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    // <sys/wait.h>, <bits/waitflags.h>: waitid
    public static final int P_PID = 1;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;
    public static final int WNOWAIT = 0x01000000;
    /** {@code siginfo_t.si_code} of a child that exited, was killed, or dumped core ({@code <bits/siginfo-consts.h>}). */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    /** Offsets in {@code siginfo_t} (64-bit): {@code si_code}, {@code si_pid}, {@code si_status}. */
    public static final int SI_CODE = 8;
    public static final int SI_PID = 16;
    public static final int SI_STATUS = 24;

    // <signal.h>
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    // <poll.h>
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;

    // <sys/epoll.h>
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code struct epoll_event} is packed on x86-64 (12 bytes), aligned elsewhere (16). */
    public static final boolean EPOLL_EVENT_PACKED = ARCH.matches("amd64|x86_64");

    // <sys/eventfd.h>
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    // <linux/stat.h>: statx
    public static final int STATX_TYPE = 0x1;
    /** Offset of {@code stx_mode} in {@code struct statx}. */
    public static final int STATX_MODE_OFFSET = 28;
    public static final int STATX_SIZE = 256;

    // <sys/mman.h>
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_FIXED = 0x10;
    public static final long MAP_FAILED = -1L;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_HUGEPAGE = 14;
    /** The size of a transparent huge page (PMD size) on x86-64 and on arm64 with 4 KiB pages. */
    public static final long HUGE_PAGE_SIZE = 2L << 20;

    // <unistd.h>: sysconf
    public static final int _SC_IOV_MAX = 60;
    public static final int _SC_PAGESIZE = 30;

    private Linux() {
    }
}
