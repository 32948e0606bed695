package org.jsplice.testsuite;

import org.jsplice.ForwardingPipeSink;
import org.jsplice.ForwardingPipeSource;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;

/** Forwarding ends over a given end, for the tests' decorators that override one or two methods. */
public final class Over {
    private Over() {
    }

    /** A sink that forwards to {@code sink} what it does not override. */
    public abstract static class Sink extends ForwardingPipeSink {
        private final PipeSink sink;

        protected Sink(PipeSink sink) {
            this.sink = sink;
        }

        @Override
        protected PipeSink delegate() {
            return sink;
        }
    }

    /** A source that forwards to {@code source} what it does not override. */
    public abstract static class Source extends ForwardingPipeSource {
        private final PipeSource source;

        protected Source(PipeSource source) {
            this.source = source;
        }

        @Override
        protected PipeSource delegate() {
            return source;
        }
    }
}
