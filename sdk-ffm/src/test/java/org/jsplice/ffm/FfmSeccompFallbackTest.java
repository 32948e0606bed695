package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SeccompFallbackSuite;

/** {@link SeccompFallbackSuite} over the FFM provider. */
class FfmSeccompFallbackTest extends SeccompFallbackSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
