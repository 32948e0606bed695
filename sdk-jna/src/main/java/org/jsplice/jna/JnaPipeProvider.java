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
import org.jsplice.spi.CoreProvider;
import org.jsplice.spi.RawCalls;
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
public final class JnaPipeProvider extends CoreProvider {
    /** The name to give {@code -Dorg.jsplice.provider}. */
    public static final String NAME = "jna";

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

    @Override
    protected RawCalls raw() {
        return raw;
    }

    /** For the raw calls: the system refused vmsplice itself. */
    void refuseZeroCopy(int errno) {
        zeroCopyRefused(errno);
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
    public NativeBuffer allocate(long size, boolean hugePages) throws IOException {
        ensureAvailable();
        return JnaNativeBuffer.map(size, hugePages, Probe.PAGE_SIZE);
    }

    @Override
    public String toString() {
        return "JnaPipeProvider[" + (isAvailable() ? "available" : "unavailable: " + Probe.CAUSE)
                + ", zeroCopy=" + isZeroCopy() + "]";
    }
}
