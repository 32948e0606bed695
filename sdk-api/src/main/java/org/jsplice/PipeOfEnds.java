package org.jsplice;

import java.io.IOException;
import org.jsplice.internal.Closing;

/** The pipe behind {@link Pipe#of}. */
final class PipeOfEnds implements Pipe {
    private final PipeSource source;
    private final PipeSink sink;

    PipeOfEnds(PipeSource source, PipeSink sink) {
        this.source = source;
        this.sink = sink;
    }

    @Override
    public PipeSource source() {
        return source;
    }

    @Override
    public PipeSink sink() {
        return sink;
    }

    @Override
    public void close() throws IOException {
        Closing.closeAll(sink, source);
    }

    @Override
    public String toString() {
        return "Pipe[source=" + source + ", sink=" + sink + "]";
    }
}
