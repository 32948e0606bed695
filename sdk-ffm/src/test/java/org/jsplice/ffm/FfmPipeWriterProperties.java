package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipeWriterPropertiesSuite;

/** {@link PipeWriterPropertiesSuite} over the FFM provider. */
class FfmPipeWriterProperties extends PipeWriterPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
