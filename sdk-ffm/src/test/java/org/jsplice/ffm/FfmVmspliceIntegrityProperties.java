package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testsuite.VmspliceIntegrityPropertiesSuite;

/** {@link VmspliceIntegrityPropertiesSuite} over the FFM provider. */
class FfmVmspliceIntegrityProperties extends VmspliceIntegrityPropertiesSuite {
    @Override
    protected PipeProvider providerUnderTest() {
        return new FfmPipeProvider();
    }
}
