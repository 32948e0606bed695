package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.DroppedResourcesSuite;

/** {@link DroppedResourcesSuite} over the JNA provider. */
class JnaDroppedResourcesTest extends DroppedResourcesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
