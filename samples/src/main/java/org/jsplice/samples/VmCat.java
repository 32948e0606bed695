package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jsplice.Errno;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Like {@code cat}, zero-copy: regular files are spliced into standard output from the page cache
 * ({@code splice(2)}, {@link PipeSink#transferFrom}), or, where their file system cannot splice,
 * memory-mapped and their pages handed to the pipe with vmsplice; a piped standard input is spliced across; everything else (files
 * whose size reads 0, such as {@code /proc}, FIFOs, devices, {@code /dev/stdin}) is read into
 * {@link PipeWriter}'s regions and committed. {@code vmcat big.iso | sha256sum} equals {@code
 * sha256sum big.iso}.
 *
 * <p>As {@code cat}: each failure is one line {@code vmcat: NAME: reason} on standard error, the
 * other files are still copied, and the exit status is 1; when the reader goes away vmcat stops
 * quietly with status 141, what a shell reports for {@code cat} killed by SIGPIPE.
 */
@Command(name = "vmcat", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Concatenates FILEs (or standard input) to standard output, zero-copy when it is a pipe:",
            "regular files are spliced from the page cache (or mapped and vmspliced where their file system cannot",
            "splice), a piped standard input is spliced, and anything else (files",
            "whose size reads 0, such as /proc, FIFOs, devices) is read into PipeWriter's safe default, whose memory",
            "is never written again once handed to the pipe. A file's pages go into the pipe as the page cache holds",
            "them, as splice(2) and sendfile(2) do: a file rewritten while its bytes are in flight is read as rewritten.",
            "Failures are reported as cat reports them and the other files still copied (exit status 1); a reader",
            "that goes away ends vmcat quietly with status 141, as a shell reports for cat killed by SIGPIPE."})
public final class VmCat implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "files to concatenate; - or none for standard input")
    List<String> files = List.of();

    @Option(names = "--window", defaultValue = "64m", converter = SizeConverter.class,
            description = "bytes of a file mapped and spliced at a time (default: ${DEFAULT-VALUE})")
    long window;

    private PipeSink sink;
    private PipeWriter writer;
    private FileChannel plain;
    private boolean splicing = true;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VmCat()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try {
            sink = Pipes.stdout();
            try {
                sink.capacity(1 << 20);
            } catch (org.jsplice.PipeException refused) {
                // keep the pipe as it is
            }
        } catch (IOException notAPipe) {
            plain = new FileOutputStream(FileDescriptor.out).getChannel();
        }
        boolean failed = false;
        try {
            for (String name : files.isEmpty() ? List.of("-") : files) {
                try {
                    if (name.equals("-")) {
                        catStdin();
                    } else {
                        catFile(name);
                    }
                } catch (IOException e) {
                    Unix.fail("vmcat", name, e);
                    failed = true;
                }
            }
            if (writer != null) {
                writer.close();
            }
        } catch (Unix.OutputFailure e) {
            if (Unix.isBrokenPipe(e)) {
                return Unix.BROKEN_PIPE_STATUS;
            }
            System.err.println("vmcat: write error: " + Unix.reason(e.getCause()));
            return 1;
        }
        return failed ? 1 : 0;
    }

    private void catFile(String name) throws IOException {
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new IOException(org.jsplice.Errno.EISDIR.description());
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = 0;
            if (Files.isRegularFile(path)) {
                long size = ch.size();
                if (sink != null) {
                    pos = spliceFile(path);
                }
                long step = Math.max(1 << 20, Math.min(window, Integer.MAX_VALUE) & -(1 << 20));
                for (; pos < size; pos += step) {
                    long n = Math.min(step, size - pos);
                    if (sink != null) {
                        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, n);
                        output(() -> sink.vmspliceFully(List.of(Pipes.ioVec(map))));
                    } else {
                        long at = pos;
                        output(() -> {
                            for (long done = 0; done < n; ) {
                                done += ch.transferTo(at + done, n - done, plain);
                            }
                        });
                    }
                }
                ch.position(pos);
            }
            // Whatever the size said (0 for /proc files; a file that grew), read on to the end.
            copy(ch);
        }
    }

    /**
     * Splices the file's pages into standard output to its end, whatever its size said (0 for
     * {@code /proc} files; a file that grew); returns how many bytes moved. Where the file system
     * cannot splice, says nothing and returns what moved, for the other paths to go on from there.
     */
    private long spliceFile(Path path) throws IOException {
        if (!splicing) {
            return 0;
        }
        try (NativeFile file = Pipes.openFile(path, StandardOpenOption.READ)) {
            return sink.transferFrom(file, 0, Long.MAX_VALUE);
        } catch (PipeException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOSYS || e.errno() == Errno.EOPNOTSUPP) {
                return e.bytesTransferred(); // no splice_read here: map the rest
            }
            if (e.errno() == Errno.EPIPE) {
                throw new Unix.OutputFailure(e);
            }
            throw e;
        } catch (UnsupportedOperationException e) {
            splicing = false; // a provider that cannot splice into a pipe
            return 0;
        } catch (java.nio.channels.ClosedChannelException e) {
            throw new Unix.OutputFailure(e);
        }
    }

    private void catStdin() throws IOException {
        if (sink != null) {
            PipeSource in = null;
            try {
                in = Pipes.stdin();
            } catch (IOException notAPipe) {
                // a file, a terminal, a socket: read it
            }
            if (in != null) {
                try (PipeSource pipeIn = in) {
                    for (;;) {
                        long n = pipeIn.splice(sink, 1 << 20); // pipe to pipe, no copy
                        if (n < 0) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new Unix.OutputFailure(e);
                }
            }
        }
        copy(new FileInputStream(FileDescriptor.in).getChannel());
    }

    /** Reads {@code in} to its end into standard output. */
    private void copy(ReadableByteChannel in) throws IOException {
        if (sink != null) {
            PipeWriter w = writer();
            for (;;) {
                PipeWriter.Region region = outputOf(w::claim);
                int n;
                try {
                    n = in.read(region.buffer());
                } catch (IOException e) {
                    w.abort(region);
                    throw e;
                }
                if (n < 0) {
                    w.abort(region);
                    return;
                }
                output(() -> w.commit(region, n));
            }
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (in.read(buf.clear()) >= 0) {
            buf.flip();
            output(() -> {
                while (buf.hasRemaining()) {
                    plain.write(buf);
                }
            });
        }
    }

    private PipeWriter writer() {
        if (writer == null) {
            writer = outputOf(() -> PipeWriter.builder(sink).regionSize(256 << 10).build());
        }
        return writer;
    }

    private interface OutputCall<T> {
        T call() throws IOException;
    }

    private interface OutputRun {
        void run() throws IOException;
    }

    /** Runs a write to standard output; its failure is an output failure, not the input's. */
    private static <T> T outputOf(OutputCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new Unix.OutputFailure(e);
        }
    }

    private static void output(OutputRun run) {
        try {
            run.run();
        } catch (IOException e) {
            throw new Unix.OutputFailure(e);
        }
    }
}
