package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.DecoratorContractSuite;

/** {@link DecoratorContractSuite} over the JNA provider. */
class JnaDecoratorContractTest extends DecoratorContractSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
