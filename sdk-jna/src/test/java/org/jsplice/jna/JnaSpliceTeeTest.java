package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SpliceTeeSuite;

/** {@link SpliceTeeSuite} over the JNA provider. */
class JnaSpliceTeeTest extends SpliceTeeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
