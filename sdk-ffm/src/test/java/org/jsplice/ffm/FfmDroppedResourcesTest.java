package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.DroppedResourcesSuite;

/** {@link DroppedResourcesSuite} over the FFM provider. */
class FfmDroppedResourcesTest extends DroppedResourcesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
