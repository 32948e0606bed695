package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.CancellationSuite;

/** {@link CancellationSuite} over the FFM provider. */
class FfmCancellationTest extends CancellationSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
