package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ChildRunSuite;

/** {@link ChildRunSuite} over the JNA provider. */
class JnaChildRunTest extends ChildRunSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
