package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VirtualThreadWaitsSuite;

/** {@link VirtualThreadWaitsSuite} over the FFM provider. */
class FfmVirtualThreadWaitsTest extends VirtualThreadWaitsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
