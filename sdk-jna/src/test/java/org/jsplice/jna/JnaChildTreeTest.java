package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ChildTreeSuite;

/** {@link ChildTreeSuite} over the JNA provider. */
class JnaChildTreeTest extends ChildTreeSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
