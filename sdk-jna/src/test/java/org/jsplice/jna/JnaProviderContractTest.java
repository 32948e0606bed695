package org.jsplice.jna;

import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.contract.PipeProviderContract;

/** The real provider against the whole contract, with jqwik's default tries, in every build. */
class JnaProviderContractTest implements PipeProviderContract {
    @Override
    public PipeProvider provider() {
        return new JnaPipeProvider();
    }
}
