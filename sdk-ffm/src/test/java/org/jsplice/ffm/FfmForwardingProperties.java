package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ForwardingPropertiesSuite;

/** {@link ForwardingPropertiesSuite} over the FFM provider. */
class FfmForwardingProperties extends ForwardingPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
