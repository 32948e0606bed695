package org.jsplice.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsplice.Errno;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PipeProvider} built on the provider core: everything but the bindings. A provider
 * extends it with its {@link RawCalls}, its availability probe and its memory ({@link
 * #allocate}); pipes, FIFOs, files, file types and the zero-copy fallback come from here, the same
 * for every provider. Thread-safe.
 */
public abstract class CoreProvider implements PipeProvider {
    private static final Logger LOG = LoggerFactory.getLogger(CoreProvider.class);
    private static final int O_DIRECT_X86 = 040000;
    private static final int O_DIRECT_ARM = 0200000;
    static final int STATX_TYPE = 0x1;
    private static final int STATX_SIZE = 256;
    static final int STATX_MODE_OFFSET = 28;

    private final AtomicBoolean zeroCopy = new AtomicBoolean(true);

    /** For subclasses, which must do no native work in their constructors either. */
    protected CoreProvider() {
    }

    /**
     * The raw calls; only called once {@link #isAvailable()} is true.
     *
     * @return the calls
     */
    protected abstract RawCalls raw();

    /** Available exactly when {@link #unavailabilityCause()} has nothing to say. */
    @Override
    public final boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    @Override
    public int iovMax() {
        ensureAvailable();
        return raw().iovMax();
    }

    @Override
    public long pageSize() {
        ensureAvailable();
        return raw().pageSize();
    }

    /**
     * The innermost of a chain of initializer and loading failures ({@link ExceptionInInitializerError},
     * {@link NoClassDefFoundError}, {@link java.util.ServiceConfigurationError}): what really went
     * wrong, for {@link #unavailabilityCause()} to report whole.
     *
     * @param t a failure
     * @return the first cause in its chain that is not such a wrapper, or the last wrapper if none is
     */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while ((root instanceof ExceptionInInitializerError || root instanceof NoClassDefFoundError
                || root instanceof java.util.ServiceConfigurationError) && root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** Throws {@link IllegalStateException} with the cause unless the provider is available. */
    protected final void ensureAvailable() {
        if (!isAvailable()) {
            Throwable cause = unavailabilityCause();
            throw new IllegalStateException("jsplice's " + name() + " provider is unavailable: " + cause, cause);
        }
    }

    @Override
    public final boolean isZeroCopy() {
        return zeroCopy.get();
    }

    /**
     * The system refused vmsplice itself: copy from now on, and say so once. Called by the
     * provider's {@link RawCalls#zeroCopyRefused}.
     *
     * @param errno what the system said: {@code EPERM}, {@code ENOSYS} or {@code EOPNOTSUPP}
     */
    public final void zeroCopyRefused(int errno) {
        if (zeroCopy.compareAndSet(true, false)) {
            LOG.warn("vmsplice(2) is refused here ({}: {}), probably by a seccomp filter; jsplice copies with "
                    + "writev(2)/readv(2) from now on: the data still flows, without zero-copy",
                    Errno.of(errno), Errno.of(errno).description());
        }
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        ensureAvailable();
        int flags = PipeEndCore.O_CLOEXEC;
        if (options.contains(PipeOption.NONBLOCKING)) {
            flags |= PipeEndCore.O_NONBLOCK;
        }
        if (options.contains(PipeOption.DIRECT)) {
            String arch = System.getProperty("os.arch", "");
            flags |= arch.contains("aarch64") || arch.contains("arm") ? O_DIRECT_ARM : O_DIRECT_X86;
        }
        RawCalls raw = raw();
        ByteBuffer fds = raw.allocate(8);
        try {
            int r = raw.pipe2(raw.address(fds), flags);
            if (r < 0) {
                throw new PipeException("pipe2(flags=" + options + ")", -r);
            }
            return Pipe.of(new PipeSourceCore(raw, fds.getInt(0), true), new PipeSinkCore(raw, fds.getInt(4), true));
        } finally {
            raw.free(fds);
        }
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        ensureAvailable();
        return new PipeSinkCore(raw(), fd, owned);
    }

    @Override
    public PipeSource source(int fd, boolean owned) {
        ensureAvailable();
        return new PipeSourceCore(raw(), fd, owned);
    }

    @Override
    public void mkfifo(Path path, int mode) throws IOException {
        ensureAvailable();
        int r = raw().mkfifo(path.toString(), mode);
        if (r < 0) {
            throw new PipeException("mkfifo(path=" + path + ", mode=0" + Integer.toOctalString(mode) + ")", -r);
        }
    }

    @Override
    public PipeSink openFifoSink(Path path, Duration timeout) throws IOException {
        return new PipeSinkCore(raw(), openFifo(path, true, timeout), true);
    }

    @Override
    public PipeSource openFifoSource(Path path, Duration timeout) throws IOException {
        return new PipeSourceCore(raw(), openFifo(path, false, timeout), true);
    }

    private int openFifo(Path path, boolean forWriting, Duration timeout) throws IOException {
        ensureAvailable();
        int fd = Fifos.open(raw(), path, forWriting, timeout);
        FileType type;
        try {
            type = fileType(fd);
        } catch (IOException e) {
            raw().close(fd);
            throw e;
        }
        if (type != FileType.FIFO) {
            raw().close(fd);
            throw new IOException(path + " is " + type.description() + ", not a FIFO; create one with Pipes.mkfifo");
        }
        return fd;
    }

    @Override
    public NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        ensureAvailable();
        return NativeFileCore.open(raw(), path, options);
    }

    @Override
    public FileType fileType(int fd) throws IOException {
        ensureAvailable();
        return fileType(raw(), fd);
    }

    /** {@code statx(2)}'s answer to what {@code fd} is, through {@code raw}. */
    static FileType fileType(RawCalls raw, int fd) throws PipeException {
        ByteBuffer statx = raw.allocate(STATX_SIZE);
        try {
            int r = raw.statx(fd, STATX_TYPE, raw.address(statx));
            if (r < 0) {
                throw new PipeException("statx(fd=" + fd + ", AT_EMPTY_PATH, STATX_TYPE)", -r);
            }
            return FileType.ofMode(statx.getShort(STATX_MODE_OFFSET) & 0xFFFF);
        } finally {
            raw.free(statx);
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return raw().address(direct);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (isAvailable() ? "available" : "unavailable: " + unavailabilityCause())
                + ", zeroCopy=" + isZeroCopy() + "]";
    }

}
