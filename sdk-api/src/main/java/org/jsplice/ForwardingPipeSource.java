package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link PipeSource} that forwards every call to another, for decorators that change one
 * behaviour: override the methods to change and let the rest forward. As in {@link
 * ForwardingPipeSink}, a method not overridden goes straight to the {@link #delegate()}; the
 * flag-less overloads call this object's flagged methods. Thread-safe as far as the delegate and
 * the overrides are.
 */
public abstract class ForwardingPipeSource implements PipeSource {

    /** For subclasses. */
    protected ForwardingPipeSource() {
    }

    /**
     * The source calls go to.
     *
     * @return the same source every time
     */
    protected abstract PipeSource delegate();

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate().read(dst);
    }

    @Override
    public long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException {
        return delegate().vmsplice(into, flags);
    }

    @Override
    public long splice(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        return delegate().splice(target, length, flags);
    }

    @Override
    public long splice(int fd, long length, SpliceFlag... flags) throws IOException {
        return delegate().splice(fd, length, flags);
    }

    @Override
    public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        return delegate().splice(file, offset, length, flags);
    }

    @Override
    public long tee(PipeSink target, long length, SpliceFlag... flags) throws IOException {
        return delegate().tee(target, length, flags);
    }

    @Override
    public int queued() throws IOException {
        return delegate().queued();
    }

    @Override
    public int capacity() throws IOException {
        return delegate().capacity();
    }

    @Override
    public boolean isOpen() {
        return delegate().isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate().close();
    }

    @Override
    public org.jsplice.spi.PipeProvider provider() {
        return delegate().provider();
    }

    /**
     * The source under every layer of forwarding, as {@link ForwardingPipeSink#innermost} for sinks.
     *
     * @param source a source, decorated or not
     * @return {@code source} itself unless it is a {@code ForwardingPipeSource}, else its innermost delegate
     */
    public static PipeSource innermost(PipeSource source) {
        PipeSource s = source;
        for (int depth = 0; s instanceof ForwardingPipeSource; depth++) {
            if (depth > 1000) {
                throw new IllegalArgumentException("a chain of more than 1000 forwarding sources (a cycle?): " + source);
            }
            s = ((ForwardingPipeSource) s).delegate();
        }
        return s;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate() + "]";
    }
}
