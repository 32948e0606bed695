package org.jsplice.testkit.fakes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;

/**
 * A {@link PipeProvider} that forwards to another and passes every sink it makes through {@link
 * #wrap(PipeSink, int)}: the way to run the contract, or an application, against a provider with
 * one behaviour changed. Thread-safe as far as the delegate and the wrapper are.
 */
public abstract class ForwardingPipeProvider implements PipeProvider {
    /** The provider every call goes to. */
    protected final PipeProvider delegate;

    protected ForwardingPipeProvider(PipeProvider delegate) {
        this.delegate = delegate;
    }

    /**
     * Wraps a sink the delegate made.
     *
     * @param fd the sink's descriptor number where known (adopted descriptors), else -1
     */
    protected abstract PipeSink wrap(PipeSink sink, int fd);

    @Override
    public String name() {
        return getClass().getSimpleName() + "(" + delegate.name() + ")";
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return delegate.unavailabilityCause();
    }

    @Override
    public boolean isZeroCopy() {
        return delegate.isZeroCopy();
    }

    @Override
    public int iovMax() {
        return delegate.iovMax();
    }

    @Override
    public long pageSize() {
        return delegate.pageSize();
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
    public PipeSource source(int fd, boolean owned) {
        return delegate.source(fd, owned);
    }

    @Override
    public void mkfifo(Path path, int mode) throws IOException {
        delegate.mkfifo(path, mode);
    }

    @Override
    public PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException {
        return wrap(delegate.openFifoSink(path, timeout), -1);
    }

    @Override
    public PipeSource openFifoSource(Path path, java.time.Duration timeout) throws IOException {
        return delegate.openFifoSource(path, timeout);
    }

    @Override
    public NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        return delegate.openFile(path, options);
    }

    @Override
    public FileType fileType(int fd) throws IOException {
        return delegate.fileType(fd);
    }

    @Override
    public NativeBuffer allocate(long size, boolean hugePages) throws IOException {
        return delegate.allocate(size, hugePages);
    }

    @Override
    public long address(ByteBuffer direct) {
        return delegate.address(direct);
    }
}
