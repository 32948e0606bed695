package org.jsplice.jna;

import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.PropertyDefaults;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.PipeSink;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.contract.Capability;
import org.jsplice.testkit.contract.PipeProviderContract;
import org.jsplice.testkit.fakes.SinkWrappingProvider;

/**
 * A provider that cannot resize pipes and says so passes the contract too: the properties fall back
 * to default pipes, and the contract checks that a resize fails cleanly and changes nothing.
 */
@PropertyDefaults(tries = 100)
class ReducedCapabilityContractTest implements PipeProviderContract {

    @Override
    public PipeProvider provider() {
        return new SinkWrappingProvider(new JnaPipeProvider()) {
            @Override
            protected PipeSink wrap(PipeSink sink, int fd) {
                return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

                    @Override
                    public int capacity(int bytes) {
                        throw new UnsupportedOperationException("this provider cannot resize pipes");
                    }
                };
            }
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.READ_DIRECTION);
    }
}
