package org.jsplice.testsuite;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.IoVec;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.contract.PipeProviderContract;
import org.jsplice.testkit.fakes.WrappingPipeProvider;

/**
 * The decorator of {@code docs/api.md} ("Decorators"), exactly as written there, over every sink
 * the real provider makes: the whole contract must hold for it as for the sink it decorates, edge
 * inputs included, since {@code standardVmspliceFully} is what such a decorator's
 * {@code vmspliceFully} is.
 */
public abstract class DecoratorContractSuite extends ProviderSuite implements PipeProviderContract {
    /** Verbatim from the documentation. */
    static final class CountingSink extends ForwardingPipeSink {
        private final PipeSink delegate;
        final LongAdder bytes = new LongAdder();

        CountingSink(PipeSink delegate) { this.delegate = delegate; }

        @Override protected PipeSink delegate() { return delegate; }

        @Override public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            long n = delegate.vmsplice(segments, flags);
            bytes.add(n);
            return n;
        }

        @Override public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            return standardVmspliceFully(segments, flags);
        }
    }

    @Override
    public PipeProvider provider() {
        return new WrappingPipeProvider(providerUnderTest()) {
            @Override
            protected PipeSink wrap(PipeSink sink, int fd) {
                return new CountingSink(sink);
            }
        };
    }
}
