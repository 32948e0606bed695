package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VirtualThreadWaitsSuite;

/** {@link VirtualThreadWaitsSuite} over the JNA provider. */
class JnaVirtualThreadWaitsTest extends VirtualThreadWaitsSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
