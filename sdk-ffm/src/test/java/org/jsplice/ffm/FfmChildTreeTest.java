package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ChildTreeSuite;

/** {@link ChildTreeSuite} over the FFM provider. */
class FfmChildTreeTest extends ChildTreeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
