package org.jsplice;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pipe made by {@link Pipes#open}: both ends, each owning its descriptor. Thread-safe.
 */
public interface Pipe extends Closeable {

    /**
     * The read end.
     *
     * @return the source
     */
    PipeSource source();

    /**
     * The write end.
     *
     * @return the sink
     */
    PipeSink sink();

    /** Closes both ends; the first failure is thrown, later ones are added to it as suppressed. */
    @Override
    void close() throws IOException;

    /**
     * A pipe of two ends made elsewhere, such as decorated ends of another pipe (see {@link
     * org.jsplice.spi.ForwardingPipeProvider}); its {@code close()} closes the sink, then the source.
     *
     * @param source the read end
     * @param sink the write end
     * @return the pair
     */
    static Pipe of(PipeSource source, PipeSink sink) {
        return new PipeOfEnds(java.util.Objects.requireNonNull(source, "source"), java.util.Objects.requireNonNull(sink, "sink"));
    }
}
