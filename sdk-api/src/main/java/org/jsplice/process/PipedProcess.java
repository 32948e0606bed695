package org.jsplice.process;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.Channel;
import java.util.Objects;
import org.jsplice.internal.Closing;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;

/**
 * A child process whose standard input, standard output, or both are jsplice pipes: a program
 * vmsplices straight into {@code gzip}, {@code ffmpeg} or {@code psql COPY}, and reads its answer
 * with {@code read} or {@code splice}, without a FIFO in the file system.
 *
 * <pre>{@code
 * try (PipedProcess gzip = PipedProcess.start(new ProcessBuilder("gzip", "-1"), true, false);
 *      PipeWriter writer = PipeWriter.builder(gzip.stdin()).build()) {
 *     ... claim, fill, commit ...
 * } // closes stdin: gzip sees the end of its input
 * }</pre>
 *
 * <h2>How</h2>
 * {@link #start} makes a new pipe for each piped stream and gives the child its end as a {@link
 * Redirect} from or to {@code /proc/self/fd/N}: on Linux, opening that path opens the very same
 * pipe. Those redirects go on a copy of the builder (command, directory, environment, the other
 * redirects): the builder given is never changed, so starting it again, or with other pipe flags,
 * never opens a path that by then names another file. Right after the start it closes the
 * parent's copies of the child's ends, so that the parent sees what a shell pipeline would: {@code
 * EPIPE} once the child is gone or has closed its input, end of stream once it has closed its
 * output.
 *
 * <h2>Standard error</h2>
 * Goes where the builder says, except for the JDK's default, {@link Redirect#PIPE}: a pipe nobody
 * reads stops the child once it holds 64 KiB (an {@code ffmpeg} that reports its progress), and
 * the writer feeding it then waits for good. That default becomes {@link Redirect#INHERIT}: the
 * child writes where the JVM does. To keep standard error, redirect it to a file, or run the
 * program with {@link ChildRun}, which keeps the end of it.
 *
 * <h2>Lifetime</h2>
 * The child is a consumer like any other: it may copy the bytes, or splice them onward (to a
 * socket, another pipe) and hold the pages for as long as it likes. Write with {@link PipeWriter}'s
 * safe default, which never writes memory again that a consumer may still see; {@link
 * PipeWriter.Policy#RECYCLE} only when you know the program copies.
 *
 * <p>Thread-safe as its ends are. {@link #close()} closes the parent's ends (standard input first),
 * does not wait for the child and does not kill it: that stays with {@link #process()}.
 */
public final class PipedProcess implements AutoCloseable {
    private final Process process;
    private final PipeSink stdin;
    private final PipeSource stdout;

    private PipedProcess(Process process, PipeSink stdin, PipeSource stdout) {
        this.process = process;
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /**
     * Starts {@code builder}'s command with its standard input from a new pipe ({@code pipeInput}),
     * its standard output into a new pipe ({@code pipeOutput}), or both, from a copy of {@code
     * builder}: its command, directory, environment and the redirects of the streams not piped.
     * The builder itself is not changed.
     *
     * @param builder the command, directory, environment and other redirects
     * @param pipeInput whether the child reads its standard input from a pipe
     * @param pipeOutput whether the child writes its standard output into a pipe
     * @return the started child with its pipe ends
     * @throws IllegalArgumentException if neither stream is piped
     * @throws UnsupportedOperationException if the provider's pipe ends do not expose their
     *     descriptors ({@link org.jsplice.spi.PipeProvider#descriptor}; providers built on
     *     {@link org.jsplice.spi.NativePipeProvider} do)
     * @throws IOException if the pipe cannot be made or the process cannot start (nothing stays open)
     */
    public static PipedProcess start(ProcessBuilder builder, boolean pipeInput, boolean pipeOutput) throws IOException {
        Objects.requireNonNull(builder, "builder");
        if (!pipeInput && !pipeOutput) {
            throw new IllegalArgumentException("pipe standard input, standard output, or both: pipeInput=false pipeOutput=false");
        }
        Pipe in = null;
        Pipe out = null;
        boolean started = false;
        try {
            ProcessBuilder copy = copy(builder);
            if (pipeInput) {
                in = Pipes.open();
                copy.redirectInput(Redirect.from(procFd(in.source())));
            }
            if (pipeOutput) {
                out = Pipes.open();
                copy.redirectOutput(Redirect.to(procFd(out.sink())));
            }
            Process process = copy.start();
            started = true;
            // The child holds its own ends now; ours would keep EPIPE and end of stream from us.
            if (in != null) {
                in.source().close();
            }
            if (out != null) {
                out.sink().close();
            }
            return new PipedProcess(process, in == null ? null : in.sink(), out == null ? null : out.source());
        } finally {
            if (!started) {
                closeQuietly(in);
                closeQuietly(out);
            }
        }
    }

    /**
     * A builder of this start's own, read under the given one's lock (one builder may serve several
     * starts at once); standard error's PIPE default becomes INHERIT.
     */
    private static ProcessBuilder copy(ProcessBuilder given) {
        ProcessBuilder b;
        synchronized (given) {
            b = new ProcessBuilder(new java.util.ArrayList<>(given.command())).directory(given.directory());
            b.environment().clear();
            b.environment().putAll(given.environment());
            b.redirectInput(given.redirectInput()).redirectOutput(given.redirectOutput())
                    .redirectError(given.redirectError()).redirectErrorStream(given.redirectErrorStream());
        }
        if (b.redirectError() == Redirect.PIPE && !b.redirectErrorStream()) {
            b.redirectError(Redirect.INHERIT);
        }
        return b;
    }

    /** The path that opens the very same pipe as {@code end}, for a child's redirect. */
    static File procFd(Channel end) {
        int fd = Pipes.provider().descriptor(end);
        if (fd < 0) {
            throw new UnsupportedOperationException("this provider's pipe ends do not expose their descriptors: " + end);
        }
        return new File("/proc/self/fd/" + fd);
    }

    private static void closeQuietly(Pipe pipe) {
        if (pipe != null) {
            try {
                pipe.close();
            } catch (IOException ignored) {
                // already failing; the first failure is the one reported
            }
        }
    }

    /**
     * The child.
     *
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * The write end of the child's standard input.
     *
     * @return the sink
     * @throws IllegalStateException if standard input was not piped
     */
    public PipeSink stdin() {
        if (stdin == null) {
            throw new IllegalStateException("standard input was not piped: start with pipeInput=true");
        }
        return stdin;
    }

    /**
     * The read end of the child's standard output.
     *
     * @return the source
     * @throws IllegalStateException if standard output was not piped
     */
    public PipeSource stdout() {
        if (stdout == null) {
            throw new IllegalStateException("standard output was not piped: start with pipeOutput=true");
        }
        return stdout;
    }

    /** Closes the parent's ends, standard input first (the child sees the end of its input). */
    @Override
    public void close() throws IOException {
        Closing.closeAll(stdin, stdout);
    }

    @Override
    public String toString() {
        return "PipedProcess[" + process + (stdin != null ? ", stdin=" + stdin : "") + (stdout != null ? ", stdout=" + stdout : "") + "]";
    }
}
