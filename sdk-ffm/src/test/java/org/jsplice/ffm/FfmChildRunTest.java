package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ChildRunSuite;

/** {@link ChildRunSuite} over the FFM provider. */
class FfmChildRunTest extends ChildRunSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
