package org.jsplice.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterBuilder;
import org.jsplice.Pipes;

/**
 * What a child reads on its standard input, for {@link ChildRun}: a file spliced in (its pages go
 * from the page cache into the pipe, never through the JVM), bytes, an {@link InputStream}, a
 * {@link PipeWriter} the caller fills, another pipe, or nothing.
 *
 * <p>Every kind that writes from the JVM's memory goes through {@link PipeWriter}'s safe default:
 * the child may splice the pages onward and hold them as long as it likes. {@link ChildRun} calls
 * {@link #feed} on a thread of its own and closes standard input after it returns, so that the child
 * sees the end of its input; when the child closes its input first, the feed ends there, and the
 * run counts what had moved.
 */
@FunctionalInterface
public interface ChildInput {

    /**
     * Moves the input into the child's standard input. Must not close {@code stdin}.
     *
     * @param stdin the write end of the child's standard input
     * @throws IOException if the input cannot be read, or the pipe fails; {@code EPIPE} once the
     *     child has closed its input
     */
    void feed(PipeSink stdin) throws IOException;

    /**
     * Nothing: standard input ends at once.
     *
     * @return the input
     */
    static ChildInput none() {
        return stdin -> { };
    }

    /**
     * A regular file, spliced into the pipe from the page cache ({@code splice(2)}), from its
     * first byte to its end as it is when read.
     *
     * @param path the file
     * @return the input
     */
    static ChildInput file(Path path) {
        Objects.requireNonNull(path, "path");
        return new ChildInput() {
            @Override
            public void feed(PipeSink stdin) throws IOException {
                try (NativeFile file = Pipes.openFile(path, StandardOpenOption.READ)) {
                    long offset = 0;
                    long r;
                    while ((r = stdin.spliceFrom(file, offset, 1L << 30)) >= 0) {
                        offset += r;
                    }
                }
            }

            @Override
            public String toString() {
                return "file " + path;
            }
        };
    }

    /**
     * These bytes, copied once: up to 1 MiB by {@code writev(2)} from a small native buffer (a
     * writer's fresh pages would cost a 2 MiB huge page's zeroing for a few KiB), more into the
     * pages of a {@link PipeWriter} with the safe default.
     *
     * @param data the bytes; not copied by this call, so not to be changed until the run is done
     * @return the input
     */
    static ChildInput bytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > 1 << 20) {
            return writer(w -> w.write(data, 0, data.length));
        }
        return stdin -> {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocateDirect(Math.max(1, Math.min(data.length, 64 << 10)));
            java.util.List<org.jsplice.IoVec> one = new java.util.ArrayList<>(1);
            one.add(null);
            for (int off = 0; off < data.length; ) {
                int n = Math.min(chunk.capacity(), data.length - off);
                chunk.clear().put(data, off, n).flip();
                one.set(0, Pipes.ioVec(chunk));
                stdin.writeFully(one); // a copy: the chunk is free again once this returns
                off += n;
            }
        };
    }

    /**
     * Everything {@code in} gives until its end, each read committed as it comes, so that a child
     * that answers line by line sees each line without waiting for a full region. Does not close
     * {@code in}.
     *
     * @param in the stream
     * @return the input
     */
    static ChildInput stream(InputStream in) {
        Objects.requireNonNull(in, "in");
        return writer(w -> {
            byte[] chunk = new byte[w.regionSize()];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (n > 0) {
                    w.write(chunk, 0, n);
                }
            }
        });
    }

    /**
     * A {@link PipeWriter} over standard input with the safe default, for {@code task} to fill
     * (claim, fill, commit); closed after {@code task} returns.
     *
     * @param task what writes
     * @return the input
     */
    static ChildInput writer(WriterTask task) {
        return writer(UnaryOperator.identity(), task);
    }

    /**
     * As {@link #writer(WriterTask)}, with the writer built as {@code settings} says (region size,
     * huge pages; the policy stays the caller's to choose, and the safe default unless changed).
     *
     * @param settings applied to the builder before the writer is built
     * @param task what writes
     * @return the input
     */
    static ChildInput writer(UnaryOperator<PipeWriterBuilder> settings, WriterTask task) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(task, "task");
        return stdin -> {
            try (PipeWriter writer = settings.apply(PipeWriter.builder(stdin)).build()) {
                task.write(writer);
            }
        };
    }

    /**
     * Everything another pipe gives until its end, spliced from pipe to pipe. Does not close {@code source}.
     *
     * @param source the read end of a pipe of the same provider
     * @return the input
     */
    static ChildInput pipe(PipeSource source) {
        Objects.requireNonNull(source, "source");
        return stdin -> {
            while (source.splice(stdin, 1L << 30) >= 0) {
                // until the end of the source
            }
        };
    }

    /** What {@link #writer} runs. */
    @FunctionalInterface
    interface WriterTask {
        /**
         * Writes the input.
         *
         * @param writer a writer over the child's standard input
         * @throws IOException as the writer reports it, or of the task's own
         */
        void write(PipeWriter writer) throws IOException;
    }
}
