package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FaultInjectingSinkSuite;

/** {@link FaultInjectingSinkSuite} over the JNA provider. */
class JnaFaultInjectingSinkTest extends FaultInjectingSinkSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
