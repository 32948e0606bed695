package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SpliceIntoPipeSuite;

/** {@link SpliceIntoPipeSuite} over the FFM provider. */
class FfmSpliceIntoPipeTest extends SpliceIntoPipeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
