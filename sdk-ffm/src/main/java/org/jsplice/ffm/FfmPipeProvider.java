package org.jsplice.ffm;

import java.io.IOException;
import org.jsplice.NativeBuffer;
import org.jsplice.internal.linux.MappedBuffer;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * The Linux provider on the JDK's foreign-function API (Java 22 and later): libc's calls through
 * downcall handles made once, errno captured by the linker, and memory as {@link
 * java.lang.foreign.MemorySegment}s whose views throw after {@code close()} instead of crashing.
 * The loops, waiting, cancellation and accounting are the provider core's, as for every provider.
 *
 * <p>It needs native access: {@code --enable-native-access=org.jsplice.ffm} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path (or {@code Enable-Native-Access:
 * ALL-UNNAMED} in an executable jar's manifest). Without it the provider reports itself unavailable,
 * naming the flag, and discovery falls back to the next provider (JNA). Where both are available it
 * wins by priority; {@code -Dorg.jsplice.provider=jna} chooses JNA. Thread-safe.
 */
public final class FfmPipeProvider extends NativePipeProvider {
    /** The name to give {@code -Dorg.jsplice.provider}. */
    public static final String NAME = "ffm";

    private final FfmSystemCalls raw = new FfmSystemCalls();

    /** The probe, run once on first use. */
    private static final class Probe {
        static final Throwable CAUSE = probe();

        private static Throwable probe() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return new UnsupportedOperationException("jsplice's FFM provider needs Linux; this is " + System.getProperty("os.name"));
            }
            Module module = FfmPipeProvider.class.getModule();
            if (!module.isNativeAccessEnabled()) {
                String flag = module.isNamed() ? "--enable-native-access=" + module.getName() : "--enable-native-access=ALL-UNNAMED";
                return new IllegalCallerException("native access is not enabled for " + (module.isNamed() ? "module "
                        + module.getName() : "the class path") + ": start the JVM with " + flag);
            }
            try {
                FfmSystemCalls.sysconf(org.jsplice.internal.linux.Linux._SC_PAGESIZE);
                return null;
            } catch (Throwable t) {
                return rootCause(t);
            }
        }
    }

    /** For {@link java.util.ServiceLoader}; does no native work. */
    public FfmPipeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Above JNA's 100: the JDK's own binding, without a dispatch layer of its own. */
    @Override
    public int priority() {
        return 200;
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
        return new FfmNativeBuffer(raw, MappedBuffer.map(raw, size, hugePages));
    }
}
