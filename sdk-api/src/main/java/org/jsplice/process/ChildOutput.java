package org.jsplice.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;

/**
 * Where a child's standard output goes, for {@link ChildRun} and {@link FanOut}: a file spliced out
 * (the pages go from the pipe into the page cache, never through the JVM), an {@link OutputStream},
 * a consumer of buffers, another pipe, or nowhere.
 *
 * <p>{@link ChildRun} calls {@link #drain} on a thread of its own; it returns at the end of the
 * stream (the child, and every program it started, has closed its output).
 */
@FunctionalInterface
public interface ChildOutput {

    /**
     * Moves everything the pipe gives until its end. Must not close {@code stdout}.
     *
     * @param stdout the read end of the child's standard output
     * @throws IOException if the destination fails, or the pipe does
     */
    void drain(PipeSource stdout) throws IOException;

    /**
     * Nowhere: the bytes are read and dropped.
     *
     * @return the output
     */
    static ChildOutput discard() {
        return buffers(b -> { });
    }

    /**
     * A regular file, created or truncated, spliced into from the pipe ({@code splice(2)}).
     *
     * @param path the file
     * @return the output
     */
    static ChildOutput file(Path path) {
        Objects.requireNonNull(path, "path");
        return new ChildOutput() {
            @Override
            public void drain(PipeSource stdout) throws IOException {
                try (NativeFile file = Pipes.openFile(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    long offset = 0;
                    long r;
                    while ((r = stdout.splice(file, offset, 1L << 30)) >= 0) {
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
     * An {@link OutputStream}, written as the bytes come and flushed at the end; not closed.
     *
     * @param out the stream
     * @return the output
     */
    static ChildOutput stream(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return stdout -> {
            byte[] chunk = new byte[1 << 16];
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            int n;
            while ((n = stdout.read(buffer.clear())) >= 0) {
                out.write(chunk, 0, n);
            }
            out.flush();
        };
    }

    /**
     * A consumer of buffers: each read is handed over as a read-only buffer from its position to
     * its limit, valid only during the call.
     *
     * @param consumer what takes the bytes
     * @return the output
     */
    static ChildOutput buffers(BufferConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return stdout -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer view = buffer.asReadOnlyBuffer();
            int n;
            while ((n = stdout.read(buffer.clear())) >= 0) {
                if (n > 0) {
                    consumer.accept(view.clear().limit(n));
                }
            }
        };
    }

    /**
     * Line by line: each line decoded with {@code charset} and handed over without its terminator
     * ({@code \n}, or {@code \r\n}), as it comes; a last line without a terminator is handed over at
     * the end. Lines are split on the byte {@code \n}, so {@code charset} must encode it as that
     * one byte (UTF-8, ISO-8859-1, US-ASCII and the other ASCII-compatible charsets do).
     *
     * @param charset how the lines are encoded
     * @param consumer what takes each line
     * @return the output
     * @throws IllegalArgumentException if {@code charset} does not encode a newline as the one byte {@code \n}
     */
    static ChildOutput lines(java.nio.charset.Charset charset, LineConsumer consumer) {
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(consumer, "consumer");
        if (!java.util.Arrays.equals("\n".getBytes(charset), new byte[] {'\n'})) {
            throw new IllegalArgumentException(charset + " does not encode a newline as the one byte 0x0A; decode the bytes with "
                    + "ChildOutput.stream or buffers instead");
        }
        return stdout -> {
            byte[] chunk = new byte[1 << 16];
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int n;
            while ((n = stdout.read(buffer.clear())) >= 0) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        line.write(chunk, from, i - from);
                        consumer.accept(decodeLine(line, charset));
                        line.reset();
                        from = i + 1;
                    }
                }
                line.write(chunk, from, n - from);
            }
            if (line.size() > 0) {
                consumer.accept(decodeLine(line, charset));
            }
        };
    }

    private static String decodeLine(java.io.ByteArrayOutputStream line, java.nio.charset.Charset charset) {
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, charset);
    }

    /**
     * Another pipe, spliced into; not closed.
     *
     * @param sink the write end of a pipe of the same provider
     * @return the output
     */
    static ChildOutput pipe(PipeSink sink) {
        Objects.requireNonNull(sink, "sink");
        return stdout -> {
            while (stdout.splice(sink, 1L << 30) >= 0) {
                // until the end of the stream
            }
        };
    }

    /**
     * Another program, reading the bytes on its standard input: {@code run}'s input is replaced by
     * this pipe, and its output goes where {@code run} says. A child that exits before the end of
     * the bytes ends this output there; one that fails fails it with its {@link ChildRunException}.
     *
     * @param run the program and where its own output goes
     * @return the output
     */
    static ChildOutput child(ChildRun run) {
        Objects.requireNonNull(run, "run");
        return stdout -> run.input(ChildInput.pipe(stdout)).run();
    }

    /** What {@link #lines} hands each line to. */
    @FunctionalInterface
    interface LineConsumer {
        /**
         * Takes a line.
         *
         * @param line the line, without its terminator
         * @throws IOException to end the run with this failure
         */
        void accept(String line) throws IOException;
    }

    /** What {@link #buffers} hands the bytes to. */
    @FunctionalInterface
    interface BufferConsumer {
        /**
         * Takes bytes.
         *
         * @param bytes the bytes, from position to limit; valid during the call only
         * @throws IOException to end the run with this failure
         */
        void accept(ByteBuffer bytes) throws IOException;
    }
}
