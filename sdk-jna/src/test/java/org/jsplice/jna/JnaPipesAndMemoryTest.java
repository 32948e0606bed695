package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipesAndMemorySuite;

/** {@link PipesAndMemorySuite} over the JNA provider. */
class JnaPipesAndMemoryTest extends PipesAndMemorySuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
