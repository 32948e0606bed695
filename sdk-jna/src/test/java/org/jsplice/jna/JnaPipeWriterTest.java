package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipeWriterSuite;

/** {@link PipeWriterSuite} over the JNA provider. */
class JnaPipeWriterTest extends PipeWriterSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
