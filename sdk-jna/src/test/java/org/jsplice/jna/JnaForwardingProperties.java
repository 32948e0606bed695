package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.ForwardingPropertiesSuite;

/** {@link ForwardingPropertiesSuite} over the JNA provider. */
class JnaForwardingProperties extends ForwardingPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
