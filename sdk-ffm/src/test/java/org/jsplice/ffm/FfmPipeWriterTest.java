package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipeWriterSuite;

/** {@link PipeWriterSuite} over the FFM provider. */
class FfmPipeWriterTest extends PipeWriterSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
