package org.jsplice.spi;

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

/**
 * A {@link PipeProvider} that forwards every call to another, for decorators of a provider (one that
 * wraps the sinks it makes, counts calls, or refuses some): override what changes and let the rest
 * forward. As in {@link org.jsplice.ForwardingPipeSink}, a method not overridden goes straight to
 * the {@link #delegate()}; to decorate every sink, override {@link #open(Set)}, {@link #sink(int,
 * boolean)} and {@link #openFifoSink(Path, java.time.Duration)}. Thread-safe as far as the delegate
 * and the overrides are.
 */
public abstract class ForwardingPipeProvider implements PipeProvider {

    /** For subclasses. */
    protected ForwardingPipeProvider() {
    }

    /**
     * The provider calls go to.
     *
     * @return the same provider every time
     */
    protected abstract PipeProvider delegate();

    @Override
    public String name() {
        return delegate().name();
    }

    @Override
    public int priority() {
        return delegate().priority();
    }

    @Override
    public boolean isAvailable() {
        return delegate().isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return delegate().unavailabilityCause();
    }

    @Override
    public boolean isZeroCopy() {
        return delegate().isZeroCopy();
    }

    @Override
    public int iovMax() {
        return delegate().iovMax();
    }

    @Override
    public long pageSize() {
        return delegate().pageSize();
    }

    @Override
    public Pipe open(Set<PipeOption> options) throws IOException {
        return delegate().open(options);
    }

    @Override
    public PipeSink sink(int fd, boolean owned) {
        return delegate().sink(fd, owned);
    }

    @Override
    public PipeSource source(int fd, boolean owned) {
        return delegate().source(fd, owned);
    }

    @Override
    public void mkfifo(Path path, int mode) throws IOException {
        delegate().mkfifo(path, mode);
    }

    @Override
    public PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException {
        return delegate().openFifoSink(path, timeout);
    }

    @Override
    public PipeSource openFifoSource(Path path, java.time.Duration timeout) throws IOException {
        return delegate().openFifoSource(path, timeout);
    }

    @Override
    public NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        return delegate().openFile(path, options);
    }

    @Override
    public FileType fileType(int fd) throws IOException {
        return delegate().fileType(fd);
    }

    @Override
    public NativeBuffer allocate(long size, boolean hugePages) throws IOException {
        return delegate().allocate(size, hugePages);
    }

    @Override
    public int descriptor(java.nio.channels.Channel end) {
        return delegate().descriptor(end);
    }

    @Override
    public SystemCalls systemCalls() {
        return delegate().systemCalls();
    }

    @Override
    public long address(ByteBuffer direct) {
        return delegate().address(direct);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate() + "]";
    }
}
