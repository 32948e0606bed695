package org.jsplice.jna;

import java.io.IOException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.jsplice.NativeBuffer;
import org.jsplice.internal.linux.MappedBuffer;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * The Linux provider: libc's {@code vmsplice}, {@code pipe2}, {@code fcntl}, {@code mmap} and friends
 * through JNA direct mapping. Available on 64-bit Linux where libc binds; probed once.
 *
 * <p>Where the system refuses {@code vmsplice} itself (a seccomp filter's {@code EPERM}, {@code
 * ENOSYS}, {@code EOPNOTSUPP}), every later call copies with {@code writev}/{@code readv} instead, a
 * warning is logged once, and {@link #isZeroCopy()} turns false (for this instance: {@link
 * org.jsplice.Pipes} uses one). Thread-safe.
 */
public final class JnaPipeProvider extends NativePipeProvider {
    /** The name to give {@code -Dorg.jsplice.provider}. */
    public static final String NAME = "jna";

    private final JnaSystemCalls raw = new JnaSystemCalls();

    /** The probe, run once on first use. */
    private static final class Probe {
        static final Throwable CAUSE = probe();

        /**
         * Never throws: loading JNA's own native library can fail (no native access under {@code
         * --illegal-native-access=deny}, a missing or foreign {@code jnidispatch}), and that failure,
         * unwrapped from its initializer error, is the cause to report.
         */
        private static Throwable probe() {
            try {
                if (!Platform.isLinux()) {
                    return new UnsupportedOperationException("jsplice's JNA provider needs Linux; this is "
                            + System.getProperty("os.name"));
                }
                if (Native.POINTER_SIZE != 8) {
                    return new UnsupportedOperationException("jsplice's JNA provider needs a 64-bit JVM; pointers here are "
                            + Native.POINTER_SIZE + " bytes");
                }
                Throwable link = LibC.LINK_FAILURE;
                return link == null ? null : rootCause(link);
            } catch (RuntimeException | LinkageError e) {
                return rootCause(e);
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
    public Throwable unavailabilityCause() {
        return Probe.CAUSE;
    }

    @Override
    protected SystemCalls raw() {
        return raw;
    }

    @Override
    public NativeBuffer allocate(long size, boolean hugePages) throws IOException {
        ensureAvailable();
        return new JnaNativeBuffer(raw, MappedBuffer.map(raw, size, hugePages));
    }
}
