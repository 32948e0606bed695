package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.DecoratorContractSuite;

/** {@link DecoratorContractSuite} over the FFM provider. */
class FfmDecoratorContractTest extends DecoratorContractSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
