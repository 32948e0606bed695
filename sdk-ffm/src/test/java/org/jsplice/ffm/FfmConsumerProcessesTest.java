package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ConsumerProcessesSuite;

/** {@link ConsumerProcessesSuite} over the FFM provider. */
class FfmConsumerProcessesTest extends ConsumerProcessesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
