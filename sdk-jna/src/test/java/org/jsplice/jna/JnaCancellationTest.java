package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.CancellationSuite;

/** {@link CancellationSuite} over the JNA provider. */
class JnaCancellationTest extends CancellationSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
