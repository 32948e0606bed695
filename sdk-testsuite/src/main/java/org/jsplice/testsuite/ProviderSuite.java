package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.lifecycle.BeforeProperty;
import org.jsplice.Pipes;
import org.jsplice.spi.PipeProvider;
import org.junit.jupiter.api.BeforeEach;

/**
 * The root of every behaviour suite: a provider module runs a suite by a subclass that names its
 * provider, as {@code class JnaCancellationTest extends CancellationSuite} does, so that each report
 * says which provider it ran.
 *
 * <p>The suites call the API as applications do ({@link Pipes}, {@code PipeWriter},
 * {@code PipedProcess}), which reaches the provider through discovery. Before every test and every
 * property, the suite checks that discovery picked the provider its subclass names: a module whose
 * class path let another provider win would otherwise test that one under this one's name.
 */
public abstract class ProviderSuite {
    /**
     * The provider this run is about.
     *
     * @return a new instance of the module's provider
     */
    protected abstract PipeProvider providerUnderTest();

    @BeforeEach
    void discoveryPicksTheProviderUnderTest() {
        PipeProvider expected = providerUnderTest();
        PipeProvider discovered = Pipes.provider();
        assertEquals(expected.getClass(), discovered.getClass(),
                "discovery picked " + discovered.name() + ", the suite runs for " + expected.name());
    }

    @BeforeProperty
    void discoveryPicksTheProviderUnderTestBeforeEachProperty() {
        discoveryPicksTheProviderUnderTest();
    }
}
