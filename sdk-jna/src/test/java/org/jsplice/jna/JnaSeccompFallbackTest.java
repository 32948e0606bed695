package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SeccompFallbackSuite;

/** {@link SeccompFallbackSuite} over the JNA provider. */
class JnaSeccompFallbackTest extends SeccompFallbackSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
