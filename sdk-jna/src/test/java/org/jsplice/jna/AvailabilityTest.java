package org.jsplice.jna;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsplice.testsuite.ChildJvm;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Pipes#isAvailable()} and friends in a JVM of their own, where JNA may not load its native
 * library: the probes answer without throwing, and the cause is the JDK's own refusal with advice
 * that names the flag to add.
 */
class AvailabilityTest {

    /** Prints what the probes say; exits 0 only if none of them threw. */
    public static void main(String[] args) {
        System.out.println("pipes.available=" + Pipes.isAvailable());
        Throwable cause = Pipes.unavailabilityCause();
        System.out.println("pipes.cause=" + cause);
        System.out.println("pipes.cause.cause=" + (cause == null ? null : cause.getCause()));
        JnaPipeProvider jna = new JnaPipeProvider();
        System.out.println("jna.available=" + jna.isAvailable());
        System.out.println("jna.cause=" + jna.unavailabilityCause());
        try {
            Pipes.ensureAvailability();
            System.out.println("ensure=passed");
        } catch (IllegalStateException e) {
            System.out.println("ensure=threw " + (e.getCause() == cause));
        }
    }

    private static String run(String... jvmArgs) throws Exception {
        return ChildJvm.run(AvailabilityTest.class, jvmArgs);
    }

    @Test
    void withoutNativeAccessTheProbesAnswerAndTheAdviceNamesTheFlag() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 24,
                "skipped: --illegal-native-access=deny needs JDK 24 or later; this is " + Runtime.version());
        String out = run("--illegal-native-access=deny");
        assertTrue(out.contains("pipes.available=false"), out);
        assertTrue(out.contains("jna.available=false"), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("pipes.cause.cause=java.lang.IllegalCallerException"), out);
        assertTrue(out.contains("jna.cause=java.lang.IllegalCallerException"), out);
        assertTrue(out.contains("ensure=threw true"), out);
        assertTrue(!out.contains("add org.jsplice:sdk-jna"), "the artifact is there; the advice must not ask for it: " + out);
    }

    @Test
    void withNativeAccessTheProbesSayAvailable() throws Exception {
        String out = run("--enable-native-access=ALL-UNNAMED");
        assertTrue(out.contains("pipes.available=true"), out);
        assertTrue(out.contains("pipes.cause=null"), out);
        assertTrue(out.contains("jna.available=true"), out);
        assertTrue(out.contains("ensure=passed"), out);
    }
}
