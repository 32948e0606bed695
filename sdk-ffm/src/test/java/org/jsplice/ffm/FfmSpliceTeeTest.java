package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SpliceTeeSuite;

/** {@link SpliceTeeSuite} over the FFM provider. */
class FfmSpliceTeeTest extends SpliceTeeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
