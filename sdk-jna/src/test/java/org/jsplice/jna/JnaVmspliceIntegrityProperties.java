package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VmspliceIntegrityPropertiesSuite;

/** {@link VmspliceIntegrityPropertiesSuite} over the JNA provider. */
class JnaVmspliceIntegrityProperties extends VmspliceIntegrityPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new JnaPipeProvider();
    }
}
