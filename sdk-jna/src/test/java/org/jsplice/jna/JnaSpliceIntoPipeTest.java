package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.SpliceIntoPipeSuite;

/** {@link SpliceIntoPipeSuite} over the JNA provider. */
class JnaSpliceIntoPipeTest extends SpliceIntoPipeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
