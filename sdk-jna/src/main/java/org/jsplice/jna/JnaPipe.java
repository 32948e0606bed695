package org.jsplice.jna;

import java.io.IOException;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;

/** Both ends of a pipe from {@code pipe2(2)}. Thread-safe. */
final class JnaPipe implements Pipe {
    private final PipeSource source;
    private final PipeSink sink;

    JnaPipe(PipeSource source, PipeSink sink) {
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
        IOException failure = null;
        for (java.nio.channels.Channel end : new java.nio.channels.Channel[] {sink, source}) {
            try {
                end.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "JnaPipe[source=" + source + ", sink=" + sink + "]";
    }
}
