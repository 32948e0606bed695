package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.WriterEdgesSuite;

/** {@link WriterEdgesSuite} over the JNA provider. */
class JnaWriterEdgesTest extends WriterEdgesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
