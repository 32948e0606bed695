package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.PipeWriterPropertiesSuite;

/** {@link PipeWriterPropertiesSuite} over the JNA provider. */
class JnaPipeWriterProperties extends PipeWriterPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
