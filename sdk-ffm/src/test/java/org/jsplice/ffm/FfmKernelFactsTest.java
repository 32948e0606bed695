package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.KernelFactsSuite;

/** {@link KernelFactsSuite} over the FFM provider. */
class FfmKernelFactsTest extends KernelFactsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
