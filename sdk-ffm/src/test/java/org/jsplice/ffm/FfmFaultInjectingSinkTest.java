package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FaultInjectingSinkSuite;

/** {@link FaultInjectingSinkSuite} over the FFM provider. */
class FfmFaultInjectingSinkTest extends FaultInjectingSinkSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
