package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jsplice.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the system refuses vmsplice itself, the data keeps flowing through writev/readv, a warning
 * is logged once, the provider says zero-copy is off, {@code Pipes.vmspliceSemantics()} says
 * {@code REFUSED}, and {@code PipeWriter}'s default takes {@code COPY}. The refusal is a real seccomp filter in a
 * JVM of its own, so that this JVM keeps zero-copy.
 */
public abstract class SeccompFallbackSuite extends ProviderSuite {

    @ParameterizedTest
    @EnumSource(value = Errno.class, names = {"EPERM", "ENOSYS", "EOPNOTSUPP"})
    void refusedVmspliceFallsBackToCopyingWithoutLosingData(Errno refusal) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SeccompVmspliceChild.class.getName(), refusal.name())
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("raw vmsplice r=-1 errno=" + refusal.code()), "the filter must really refuse: " + out);
        assertTrue(out.contains("verified " + (8 << 20)), out);
        assertTrue(out.contains("read direction 2 42 43"), out);
        assertTrue(out.contains("writer RECYCLE RING verified " + (8 << 20)), out);
        assertTrue(out.contains("writer SAFE COPY verified " + (8 << 20)), "where vmsplice is refused, the default writes with writev: " + out);
        assertTrue(out.contains("semantics=REFUSED"), "a refused vmsplice is told apart from a copying one: " + out);
        assertTrue(out.contains("zeroCopy=false"), out);
        // The whole contract holds in the fallback, and the fallback rule itself ran rather than skipped.
        assertTrue(out.contains(" failed=0 []"), out);
        assertTrue(out.contains("contract skipped=0 []"), out);
        assertEquals(1, count(out, "vmsplice(2) is refused here (" + refusal.name()), "one warning: " + out);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}
