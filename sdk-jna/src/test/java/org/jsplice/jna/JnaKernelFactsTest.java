package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.KernelFactsSuite;

/** {@link KernelFactsSuite} over the JNA provider. */
class JnaKernelFactsTest extends KernelFactsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
