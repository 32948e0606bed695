package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.JfrEventsSuite;

/** {@link JfrEventsSuite} over the FFM provider. */
class FfmJfrEventsTest extends JfrEventsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
