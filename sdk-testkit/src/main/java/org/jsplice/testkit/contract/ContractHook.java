package org.jsplice.testkit.contract;

import java.util.EnumSet;
import java.util.Set;
import org.jsplice.spi.PipeProvider;

/**
 * The one hook a provider's test class implements to run the contract: which provider to test,
 * and which optional behaviour it supports.
 */
public interface ContractHook {

    /**
     * The provider under test; may return the same instance each time or a new one.
     *
     * @return the provider
     */
    PipeProvider provider();

    /**
     * The optional behaviour the provider supports; all of it unless overridden.
     *
     * @return the capabilities
     */
    default Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }
}
