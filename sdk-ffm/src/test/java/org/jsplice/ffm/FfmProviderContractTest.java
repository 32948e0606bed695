package org.jsplice.ffm;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.contract.PipeProviderContract;

/** The FFM provider against the whole contract, as the JNA provider runs it. */
class FfmProviderContractTest implements PipeProviderContract {
    @Override
    public PipeProvider provider() {
        return new FfmPipeProvider();
    }
}
