package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.UnprivilegedPipeSizesSuite;

/** {@link UnprivilegedPipeSizesSuite} over the FFM provider. */
class FfmUnprivilegedPipeSizesTest extends UnprivilegedPipeSizesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
