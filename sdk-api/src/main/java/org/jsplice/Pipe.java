package org.jsplice;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pipe made by {@link Pipes#open}: both ends, each owning its descriptor. Thread-safe.
 */
public interface Pipe extends Closeable {

    /** The read end. */
    PipeSource source();

    /** The write end. */
    PipeSink sink();

    /** Closes both ends; the first failure is thrown, later ones are added to it as suppressed. */
    @Override
    void close() throws IOException;
}
