package org.jsplice.testkit.fakes;

import java.io.IOException;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;

/**
 * A {@link PipeSink} that forwards every call to another, for wrappers that change one behaviour
 * (fault injection, instrumentation). Thread-safe as far as the delegate is.
 */
public abstract class ForwardingPipeSink implements PipeSink {
    /** The sink every call goes to. */
    protected final PipeSink delegate;

    protected ForwardingPipeSink(PipeSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return delegate.vmsplice(segments, flags);
    }

    @Override
    public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
        return delegate.vmspliceFully(segments, flags);
    }

    @Override
    public long writeFully(List<? extends IoVec> segments) throws IOException {
        return delegate.writeFully(segments);
    }

    @Override
    public int capacity() throws IOException {
        return delegate.capacity();
    }

    @Override
    public int capacity(int bytes) throws IOException {
        return delegate.capacity(bytes);
    }

    @Override
    public int queued() throws IOException {
        return delegate.queued();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
