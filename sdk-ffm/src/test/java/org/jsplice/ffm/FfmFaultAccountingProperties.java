package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FaultAccountingPropertiesSuite;

/** {@link FaultAccountingPropertiesSuite} over the FFM provider. */
class FfmFaultAccountingProperties extends FaultAccountingPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
