package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipedProcessSuite;

/** {@link PipedProcessSuite} over the FFM provider. */
class FfmPipedProcessTest extends PipedProcessSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
