package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.WriterWedgeSuite;

/** {@link WriterWedgeSuite} over the FFM provider. */
class FfmWriterWedgeTest extends WriterWedgeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
