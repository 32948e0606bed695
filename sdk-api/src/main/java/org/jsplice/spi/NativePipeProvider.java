package org.jsplice.spi;

import static org.jsplice.internal.linux.Linux.O_CLOEXEC;
import static org.jsplice.internal.linux.Linux.O_DIRECT;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jsplice.Errno;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.ForwardingPipeSource;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.internal.linux.Fifos;
import org.jsplice.internal.linux.LinuxFile;
import org.jsplice.internal.linux.LinuxPipeEnd;
import org.jsplice.internal.linux.LinuxPipeSink;
import org.jsplice.internal.linux.LinuxPipeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PipeProvider} built on the provider core: everything but the bindings. A provider
 * extends it with its {@link SystemCalls}, its availability probe and its memory ({@link
 * #allocate}); pipes, FIFOs, files, file types and the zero-copy fallback come from here, the same
 * for every provider. Thread-safe.
 */
public abstract class NativePipeProvider implements PipeProvider {
    private static final Logger LOG = LoggerFactory.getLogger(NativePipeProvider.class);

    private final AtomicBoolean zeroCopy = new AtomicBoolean(true);

    /** For subclasses, which must do no native work in their constructors either. */
    protected NativePipeProvider() {
    }

    /**
     * The raw calls; only called once {@link #isAvailable()} is true.
     *
     * @return the calls
     */
    protected abstract SystemCalls raw();

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
     * provider core when {@code vmsplice} fails with one of these.
     *
     * @param errno what the system said: {@code EPERM}, {@code ENOSYS} or {@code EOPNOTSUPP}
     */
    public final void zeroCopyRefused(int errno) {
        if (zeroCopy.compareAndSet(true, false)) {
            LOG.warn("vmsplice(2) is refused here ({}: {}), by a seccomp filter or by a kernel whose vmsplice copies "
                    + "and refuses SPLICE_F_NONBLOCK; jsplice copies with writev(2)/readv(2) from now on: the data still "
                    + "flows, without zero-copy (Pipes.vmspliceSemantics() says REFUSED)",
                    Errno.of(errno), Errno.of(errno).description());
        }
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        ensureAvailable();
        int flags = O_CLOEXEC;
        if (options.contains(PipeOption.NONBLOCKING)) {
            flags |= O_NONBLOCK;
        }
        if (options.contains(PipeOption.DIRECT)) {
            flags |= O_DIRECT;
        }
        SystemCalls raw = raw();
        ByteBuffer fds = raw.allocate(8);
        try {
            int r = raw.pipe2(raw.address(fds), flags);
            if (r < 0) {
                throw new PipeException("pipe2(flags=" + options + ")", -r);
            }
            return Pipe.of(new LinuxPipeSource(this, raw, fds.getInt(0), true), new LinuxPipeSink(this, raw, fds.getInt(4), true));
        } finally {
            raw.free(fds);
        }
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        ensureAvailable();
        return new LinuxPipeSink(this, raw(), fd, owned);
    }

    @Override
    public PipeSource source(int fd, boolean owned) {
        ensureAvailable();
        return new LinuxPipeSource(this, raw(), fd, owned);
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
        return new LinuxPipeSink(this, raw(), openFifo(path, true, timeout), true);
    }

    @Override
    public PipeSource openFifoSource(Path path, Duration timeout) throws IOException {
        return new LinuxPipeSource(this, raw(), openFifo(path, false, timeout), true);
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
        return LinuxFile.open(raw(), path, options);
    }

    @Override
    public FileType fileType(int fd) throws IOException {
        ensureAvailable();
        return LinuxFile.typeOf(raw(), fd);
    }

    @Override
    public int descriptor(java.nio.channels.Channel end) {
        java.nio.channels.Channel c = end instanceof PipeSink ? ForwardingPipeSink.innermost((PipeSink) end)
                : end instanceof PipeSource ? ForwardingPipeSource.innermost((PipeSource) end) : end;
        return c instanceof LinuxPipeEnd ? ((LinuxPipeEnd) c).fd() : -1;
    }

    @Override
    public final SystemCalls systemCalls() {
        ensureAvailable();
        return raw();
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
