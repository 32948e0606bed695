package org.jsplice.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsplice.Errno;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.spi.Fifos;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.PipeSinkCore;
import org.jsplice.spi.PipeSourceCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux provider: libc's {@code vmsplice}, {@code pipe2}, {@code fcntl}, {@code mmap} and friends
 * through JNA direct mapping. Available on 64-bit Linux where libc binds; probed once.
 *
 * <p>Where the system refuses {@code vmsplice} itself (a seccomp filter's {@code EPERM}, {@code
 * ENOSYS}, {@code EOPNOTSUPP}), every later call copies with {@code writev}/{@code readv} instead, a
 * warning is logged once, and {@link #isZeroCopy()} turns false. Thread-safe; all instances share
 * the process-wide state.
 */
public final class JnaPipeProvider implements PipeProvider {
    /** The name to give {@code -Dorg.jsplice.provider}. */
    public static final String NAME = "jna";

    private static final Logger LOG = LoggerFactory.getLogger(JnaPipeProvider.class);
    private static final AtomicBoolean ZERO_COPY = new AtomicBoolean(true);

    private final JnaRawCalls raw = new JnaRawCalls(this);

    /** The probe, run once on first use. */
    private static final class Probe {
        static final Throwable CAUSE = probe();
        static final long PAGE_SIZE = CAUSE == null ? LibC.sysconf(LibC._SC_PAGESIZE) : 4096;
        static final int IOV_MAX = CAUSE == null ? (int) LibC.sysconf(LibC._SC_IOV_MAX) : 1024;

        private static Throwable probe() {
            if (!Platform.isLinux()) {
                return new UnsupportedOperationException("jsplice's JNA provider needs Linux; this is " + System.getProperty("os.name"));
            }
            if (Native.POINTER_SIZE != 8) {
                return new UnsupportedOperationException("jsplice's JNA provider needs a 64-bit JVM; pointers here are "
                        + Native.POINTER_SIZE + " bytes");
            }
            try {
                return LibC.LINK_FAILURE;
            } catch (LinkageError e) {
                return e;
            }
        }
    }

    /** For {@link java.util.ServiceLoader}; does no native work. */
    public JnaPipeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return Probe.CAUSE == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return Probe.CAUSE;
    }

    private static void ensureAvailable() {
        if (Probe.CAUSE != null) {
            throw new IllegalStateException("jsplice's JNA provider is unavailable: " + Probe.CAUSE, Probe.CAUSE);
        }
    }

    @Override
    public boolean isZeroCopy() {
        return ZERO_COPY.get();
    }

    /** Called when the system refused vmsplice itself: from now on, copy. */
    void zeroCopyRefused(int errno) {
        if (ZERO_COPY.compareAndSet(true, false)) {
            LOG.warn("vmsplice(2) is refused here ({}: {}), probably by a seccomp filter; jsplice copies with "
                    + "writev(2)/readv(2) from now on: the data still flows, without zero-copy",
                    Errno.of(errno), Errno.of(errno).description());
        }
    }

    @Override
    public int iovMax() {
        ensureAvailable();
        return Probe.IOV_MAX;
    }

    @Override
    public long pageSize() {
        ensureAvailable();
        return Probe.PAGE_SIZE;
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        ensureAvailable();
        int flags = LibC.O_CLOEXEC;
        if (options.contains(PipeOption.NONBLOCKING)) {
            flags |= LibC.O_NONBLOCK;
        }
        if (options.contains(PipeOption.DIRECT)) {
            flags |= LibC.O_DIRECT;
        }
        int[] fds = new int[2];
        if (LibC.pipe2(fds, flags) != 0) {
            throw new PipeException("pipe2(flags=" + options + ")", LibC.errno());
        }
        return new JnaPipe(new PipeSourceCore(raw, fds[0], true), new PipeSinkCore(raw, fds[1], true));
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        ensureAvailable();
        return new PipeSinkCore(raw, fd, owned);
    }

    @Override
    public PipeSource source(int fd, boolean owned) {
        ensureAvailable();
        return new PipeSourceCore(raw, fd, owned);
    }

    @Override
    public void mkfifo(Path path, int mode) throws IOException {
        ensureAvailable();
        if (LibC.mkfifo(path.toString(), mode) != 0) {
            throw new PipeException("mkfifo(path=" + path + ", mode=0" + Integer.toOctalString(mode) + ")", LibC.errno());
        }
    }

    @Override
    public PipeSink openFifoSink(Path path, Duration timeout) throws IOException {
        return new PipeSinkCore(raw, openFifo(path, true, timeout), true);
    }

    @Override
    public PipeSource openFifoSource(Path path, Duration timeout) throws IOException {
        return new PipeSourceCore(raw, openFifo(path, false, timeout), true);
    }

    private int openFifo(Path path, boolean forWriting, Duration timeout) throws IOException {
        ensureAvailable();
        int fd = Fifos.open(raw, path, forWriting, timeout);
        FileType type;
        try {
            type = fileType(fd);
        } catch (IOException e) {
            LibC.close(fd);
            throw e;
        }
        if (type != FileType.FIFO) {
            LibC.close(fd);
            throw new IOException(path + " is " + type.description() + ", not a FIFO; create one with Pipes.mkfifo");
        }
        return fd;
    }

    @Override
    public NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        ensureAvailable();
        return JnaNativeFile.open(path, options);
    }

    @Override
    public FileType fileType(int fd) throws IOException {
        ensureAvailable();
        byte[] statx = new byte[LibC.STATX_SIZE];
        if (LibC.statx(fd, "", LibC.AT_EMPTY_PATH, LibC.STATX_TYPE, statx) != 0) {
            throw new PipeException("statx(fd=" + fd + ", AT_EMPTY_PATH, STATX_TYPE)", LibC.errno());
        }
        int mode = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder()).getShort(LibC.STATX_MODE_OFFSET) & 0xFFFF;
        return FileType.ofMode(mode);
    }

    @Override
    public NativeBuffer allocate(long size, boolean hugePages) throws IOException {
        ensureAvailable();
        return JnaNativeBuffer.map(size, hugePages, Probe.PAGE_SIZE);
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public String toString() {
        return "JnaPipeProvider[" + (isAvailable() ? "available" : "unavailable: " + Probe.CAUSE)
                + ", zeroCopy=" + isZeroCopy() + "]";
    }
}
