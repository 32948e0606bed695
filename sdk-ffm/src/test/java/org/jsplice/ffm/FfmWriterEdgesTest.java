package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.WriterEdgesSuite;

/** {@link WriterEdgesSuite} over the FFM provider. */
class FfmWriterEdgesTest extends WriterEdgesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
