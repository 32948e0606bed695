package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipedProcessSuite;

/** {@link PipedProcessSuite} over the JNA provider. */
class JnaPipedProcessTest extends PipedProcessSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
