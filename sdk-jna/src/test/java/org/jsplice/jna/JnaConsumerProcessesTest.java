package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ConsumerProcessesSuite;

/** {@link ConsumerProcessesSuite} over the JNA provider. */
class JnaConsumerProcessesTest extends ConsumerProcessesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
