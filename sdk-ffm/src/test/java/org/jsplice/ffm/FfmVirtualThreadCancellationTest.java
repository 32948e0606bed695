package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VirtualThreadCancellationSuite;

/** {@link VirtualThreadCancellationSuite} over the FFM provider. */
class FfmVirtualThreadCancellationTest extends VirtualThreadCancellationSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
