package org.jsplice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsplice.spi.PipeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery through a real {@link java.util.ServiceLoader} over service files written per test. */
class ProviderDiscoveryTest {
    @TempDir
    Path dir;

    private ClassLoader loaderListing(String... classes) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.write(services.resolve(PipeProvider.class.getName()), List.of(classes));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    void theAvailableProviderWithTheHighestPriorityWinsAndBrokenOnesAreSetAside() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.ThrowsInConstructor.class), "org.example.Missing",
                name(FakeProviders.Low.class), name(FakeProviders.ThrowsWhenProbed.class),
                name(FakeProviders.Unavailable.class), name(FakeProviders.High.class));
        assertInstanceOf(FakeProviders.High.class, ProviderDiscovery.select(loader, null));
    }

    @Test
    void aTieOnPriorityIsBrokenByNameWhateverTheOrderOfListing() throws IOException {
        ClassLoader a = loaderListing(name(FakeProviders.HighToo.class), name(FakeProviders.High.class));
        assertEquals("high", ProviderDiscovery.select(a, null).name());
        ClassLoader b = loaderListing(name(FakeProviders.High.class), name(FakeProviders.HighToo.class));
        assertEquals("high", ProviderDiscovery.select(b, null).name());
    }

    @Test
    void thePropertyWinsByNameOrClassName() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Low.class), name(FakeProviders.High.class));
        assertInstanceOf(FakeProviders.Low.class, ProviderDiscovery.select(loader, "low"));
        assertInstanceOf(FakeProviders.Low.class, ProviderDiscovery.select(loader, name(FakeProviders.Low.class)));
    }

    @Test
    void aProviderThatIsNotChosenIsNeverProbed() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Watched.class), name(FakeProviders.Low.class),
                name(FakeProviders.High.class));
        FakeProviders.Watched.PROBES.set(0);
        assertInstanceOf(FakeProviders.Low.class, ProviderDiscovery.select(loader, "low"));
        assertInstanceOf(FakeProviders.High.class, ProviderDiscovery.select(loader, null));
        assertEquals(0, FakeProviders.Watched.PROBES.get(), "probed though neither requested nor first in priority");
        assertInstanceOf(FakeProviders.Watched.class, ProviderDiscovery.select(loader, "watched"));
        assertEquals(1, FakeProviders.Watched.PROBES.get());
    }

    @Test
    void aRequestedProviderThatIsUnavailableFailsWithItsCause() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Low.class), name(FakeProviders.Unavailable.class));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderDiscovery.select(loader, "unavailable"));
        assertTrue(e.getMessage().contains("'unavailable', requested by -Dorg.jsplice.provider, is unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("needs a kernel from the future"), e.getMessage());
    }

    @Test
    void aRequestedProviderThatIsMissingFailsAndListsWhatWasFound() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Low.class));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderDiscovery.select(loader, "jna"));
        assertTrue(e.getMessage().contains("'jna', requested by -Dorg.jsplice.provider, was not found"), e.getMessage());
        assertTrue(e.getMessage().contains("low (" + name(FakeProviders.Low.class) + ", priority 1)"), e.getMessage());
    }

    @Test
    void noProviderAvailableFailsWithWhatWasFoundWhyAndWhatToAdd() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Unavailable.class), name(FakeProviders.ThrowsInConstructor.class));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderDiscovery.select(loader, null));
        String m = e.getMessage();
        assertTrue(m.contains("needs Linux on a 64-bit JVM"), "the leading cause decides the advice: " + m);
        assertTrue(m.contains("unavailable (" + name(FakeProviders.Unavailable.class) + ", priority 1000): unavailable: "
                + "java.lang.UnsupportedOperationException: needs a kernel from the future"), m);
        assertTrue(m.contains("constructor exploded"), m);
    }

    @Test
    void withNoProviderOnTheClassPathPipesFailsOnFirstUseAndSaysWhatToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Pipes::provider);
        assertTrue(e.getMessage().startsWith("No jsplice provider is available: add org.jsplice:sdk-jna (JDK 17+) or "
                + "org.jsplice:sdk-ffm (JDK 22+) to the run-time class path (or module path). Providers found: none."),
                e.getMessage());
        assertEquals(false, Pipes.isAvailable());
        assertEquals(e.getCause(), Pipes.unavailabilityCause());
        assertThrows(IllegalStateException.class, Pipes::ensureAvailability);
        assertThrows(IllegalStateException.class, Pipes::open, "every entry point fails the same way");
    }

    @Test
    void aProviderThatThrowsAnInitializerErrorWhileProbedIsSetAsideWithItsRootCause() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.InitializerFails.class));
        ProviderDiscovery.Selection s = ProviderDiscovery.choose(loader, null);
        assertEquals(null, s.provider);
        assertInstanceOf(IllegalCallerException.class, s.failure.getCause(), "unwrapped from ExceptionInInitializerError");
        assertTrue(s.failure.getMessage().contains("--enable-native-access=ALL-UNNAMED"), s.failure.getMessage());
    }

    @Test
    void theAdviceMatchesTheCause() {
        assertTrue(ProviderDiscovery.advice(new IllegalCallerException("Illegal native access from module com.sun.jna"))
                .contains("--enable-native-access=com.sun.jna"));
        assertTrue(ProviderDiscovery.advice(new ExceptionInInitializerError(
                new IllegalCallerException("Illegal native access from an unnamed module (file:/x/jna.jar)")))
                .contains("--enable-native-access=ALL-UNNAMED"));
        String own = "native access is not enabled for module org.jsplice.ffm: start the JVM with "
                + "--enable-native-access=org.jsplice.ffm";
        assertEquals(own, ProviderDiscovery.advice(new IllegalCallerException(own)));
        assertTrue(ProviderDiscovery.advice(new UnsatisfiedLinkError("libjnidispatch.so: wrong ELF class"))
                .contains("a native library could not be linked"));
        assertTrue(ProviderDiscovery.advice(new UnsupportedOperationException("needs Linux")).contains("64-bit"));
    }

    @Test
    void theLeadingCauseIsKeptWholeAndTheOthersSuppressed() throws IOException {
        ClassLoader loader = loaderListing(name(FakeProviders.Unavailable.class), name(FakeProviders.InitializerFails.class),
                "org.example.Missing");
        ProviderDiscovery.Selection s = ProviderDiscovery.choose(loader, null);
        assertInstanceOf(IllegalCallerException.class, s.failure.getCause(), "the highest priority's cause leads");
        assertEquals(2, s.failure.getSuppressed().length, java.util.Arrays.toString(s.failure.getSuppressed()));
    }
}
