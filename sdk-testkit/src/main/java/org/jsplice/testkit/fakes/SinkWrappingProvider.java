package org.jsplice.testkit.fakes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.spi.ForwardingPipeProvider;
import org.jsplice.spi.PipeProvider;

/**
 * A provider that forwards to another and passes every sink it makes through {@link #wrap(PipeSink,
 * int)}: the way to run the contract, or an application, against a provider with one behaviour of
 * its sinks changed (with {@link org.jsplice.ForwardingPipeSink} as the wrapper). Thread-safe as far
 * as the delegate and the wrapper are.
 */
public abstract class SinkWrappingProvider extends ForwardingPipeProvider {
    private final PipeProvider delegate;

    /** @param delegate the provider every call goes to */
    protected SinkWrappingProvider(PipeProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    protected PipeProvider delegate() {
        return delegate;
    }

    /**
     * Wraps a sink the delegate made.
     *
     * @param sink the delegate's sink
     * @param fd the sink's descriptor number where known (adopted descriptors), else -1
     * @return the sink to hand out instead
     */
    protected abstract PipeSink wrap(PipeSink sink, int fd);

    @Override
    public String name() {
        return getClass().getSimpleName() + "(" + delegate.name() + ")";
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        Pipe pipe = delegate.open(options);
        PipeSink sink = wrap(pipe.sink(), -1);
        return new Pipe() {
            @Override
            public PipeSource source() {
                return pipe.source();
            }

            @Override
            public PipeSink sink() {
                return sink;
            }

            @Override
            public void close() throws IOException {
                try {
                    sink.close();
                } finally {
                    pipe.close();
                }
            }
        };
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        return wrap(delegate.sink(fd, owned), fd);
    }

    @Override
    public PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException {
        return wrap(delegate.openFifoSink(path, timeout), -1);
    }
}
