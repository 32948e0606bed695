package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.JfrEventsSuite;

/** {@link JfrEventsSuite} over the JNA provider. */
class JnaJfrEventsTest extends JfrEventsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
