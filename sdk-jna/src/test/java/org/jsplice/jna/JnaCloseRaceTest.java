package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.CloseRaceSuite;

/** {@link CloseRaceSuite} over the JNA provider. */
class JnaCloseRaceTest extends CloseRaceSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
