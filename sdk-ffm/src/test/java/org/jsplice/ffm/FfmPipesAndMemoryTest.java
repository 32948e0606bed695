package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipesAndMemorySuite;

/** {@link PipesAndMemorySuite} over the FFM provider. */
class FfmPipesAndMemoryTest extends PipesAndMemorySuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
