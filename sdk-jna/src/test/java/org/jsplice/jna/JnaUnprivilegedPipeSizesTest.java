package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.UnprivilegedPipeSizesSuite;

/** {@link UnprivilegedPipeSizesSuite} over the JNA provider. */
class JnaUnprivilegedPipeSizesTest extends UnprivilegedPipeSizesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
