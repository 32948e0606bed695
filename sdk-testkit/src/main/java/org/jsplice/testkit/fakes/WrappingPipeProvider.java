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
 * A provider that forwards to another and passes every pipe end it makes through {@link
 * #wrap(PipeSink, int)} or {@link #wrap(PipeSource, int)}: the way to run the contract, or an
 * application, against a provider with one behaviour of its ends changed (with {@link
 * org.jsplice.ForwardingPipeSink} and {@link org.jsplice.ForwardingPipeSource} as wrappers).
 * Thread-safe as far as the delegate and the wrappers are.
 */
public abstract class WrappingPipeProvider extends ForwardingPipeProvider {
    private final PipeProvider delegate;

    /**
     * A provider over another.
     *
     * @param delegate the provider every call goes to
     */
    protected WrappingPipeProvider(PipeProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    protected PipeProvider delegate() {
        return delegate;
    }

    /**
     * Wraps a sink the delegate made; the sink itself unless overridden.
     *
     * @param sink the delegate's sink
     * @param fd the sink's descriptor number where known (adopted descriptors), else -1
     * @return the sink to hand out instead
     */
    protected PipeSink wrap(PipeSink sink, int fd) {
        return sink;
    }

    /**
     * Wraps a source the delegate made; the source itself unless overridden.
     *
     * @param source the delegate's source
     * @param fd the source's descriptor number where known (adopted descriptors), else -1
     * @return the source to hand out instead
     */
    protected PipeSource wrap(PipeSource source, int fd) {
        return source;
    }

    @Override
    public String name() {
        return getClass().getSimpleName() + "(" + delegate.name() + ")";
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        Pipe pipe = delegate.open(options);
        PipeSink sink = wrap(pipe.sink(), -1);
        PipeSource source = wrap(pipe.source(), -1);
        // Closing the wrappers closes the delegate's ends, which are the pipe.
        return Pipe.of(source, sink);
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        return wrap(delegate.sink(fd, owned), fd);
    }

    @Override
    public PipeSource source(int fd, boolean owned) {
        return wrap(delegate.source(fd, owned), fd);
    }

    @Override
    public PipeSource openFifoSource(Path path, java.time.Duration timeout) throws IOException {
        return wrap(delegate.openFifoSource(path, timeout), -1);
    }

    @Override
    public PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException {
        return wrap(delegate.openFifoSink(path, timeout), -1);
    }
}
