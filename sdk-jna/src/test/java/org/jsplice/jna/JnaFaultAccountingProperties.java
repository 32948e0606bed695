package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FaultAccountingPropertiesSuite;

/** {@link FaultAccountingPropertiesSuite} over the JNA provider. */
class JnaFaultAccountingProperties extends FaultAccountingPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
