package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.FanOutSuite;

/** {@link FanOutSuite} over the JNA provider. */
class JnaFanOutTest extends FanOutSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
