package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.WriterWedgeSuite;

/** {@link WriterWedgeSuite} over the JNA provider. */
class JnaWriterWedgeTest extends WriterWedgeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
