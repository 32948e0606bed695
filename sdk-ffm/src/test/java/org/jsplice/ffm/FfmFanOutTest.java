package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FanOutSuite;

/** {@link FanOutSuite} over the FFM provider. */
class FfmFanOutTest extends FanOutSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
