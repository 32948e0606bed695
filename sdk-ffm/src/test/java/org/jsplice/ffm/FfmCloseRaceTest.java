package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.CloseRaceSuite;

/** {@link CloseRaceSuite} over the FFM provider. */
class FfmCloseRaceTest extends CloseRaceSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
