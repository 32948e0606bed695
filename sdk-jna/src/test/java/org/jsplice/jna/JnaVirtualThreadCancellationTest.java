package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VirtualThreadCancellationSuite;

/** {@link VirtualThreadCancellationSuite} over the JNA provider. */
class JnaVirtualThreadCancellationTest extends VirtualThreadCancellationSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
