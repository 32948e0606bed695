package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jsplice.PipeSink;
import org.jsplice.PipeWriter;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Like {@code cat}, zero-copy: files are memory-mapped and their pages spliced into standard output
 * with vmsplice; a piped standard input is spliced across with splice. {@code vmcat big.iso |
 * sha256sum} equals {@code sha256sum big.iso}.
 *
 * <p>The memory-lifetime rule holds: the pages of a read-only file mapping are never written by
 * vmcat, and unmapping them after the call is safe because the pipe holds its own references. (As
 * with {@code cat}, a file changed while being read shows the change.)
 */
@Command(name = "vmcat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Concatenates FILEs (or standard input) to standard output, zero-copy when it is a pipe:",
            "files are mapped and vmspliced, a piped standard input is spliced. Otherwise it says so and copies.",
            "A file's pages go into the pipe as the page cache holds them, as splice(2) and sendfile(2) do: a file",
            "rewritten while its bytes are in flight is read as rewritten. A standard input that is not a pipe is read",
            "into PipeWriter's safe default, whose memory is never written again once handed to the pipe."})
public final class VmCat implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "files to concatenate; - or none for standard input")
    List<Path> files = List.of();

    @Option(names = "--window", defaultValue = "64m", converter = SizeConverter.class,
            description = "bytes of a file mapped and spliced at a time (default: ${DEFAULT-VALUE})")
    long window;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VmCat()).execute(args));
    }

    private List<Path> inputs() {
        return files.isEmpty() ? List.of(Path.of("-")) : files;
    }

    private static boolean isStdin(Path p) {
        return p.toString().equals("-");
    }

    @Override
    public Integer call() throws IOException {
        PipeSink out = Pump.stdoutPipeOrSay("vmcat", "copying instead");
        if (out == null) {
            return copy();
        }
        try (out) {
            resize(out, 1 << 20);
            for (Path p : inputs()) {
                if (isStdin(p)) {
                    catStdin(out);
                } else {
                    catFile(out, p);
                }
            }
        }
        return 0;
    }

    /** Asks for a pipe size; keeps what there is where the system says no. */
    private static void resize(PipeSink out, int bytes) throws IOException {
        try {
            out.capacity(bytes);
        } catch (org.jsplice.PipeException e) {
            System.err.println("vmcat: keeping a pipe of " + Sizes.format(out.capacity()) + ": " + e.getMessage());
        }
    }

    private void catFile(PipeSink out, Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long step = Math.max(1 << 20, Math.min(window, Integer.MAX_VALUE) & -(1 << 20));
            for (long pos = 0; pos < size; pos += step) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(step, size - pos));
                out.vmspliceFully(List.of(Pipes.ioVec(map)));
            }
        }
    }

    private static void catStdin(PipeSink out) throws IOException {
        PipeSource in;
        try {
            in = Pipes.stdin();
        } catch (IOException notAPipe) {
            // A file or terminal on standard input: read it into the safe writer's regions, so that
            // any consumer, also one that splices onward, sees the bytes as they were read.
            try (PipeWriter writer = PipeWriter.builder(out).build()) {
                ReadableByteChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
                for (;;) {
                    PipeWriter.Region region = writer.claim();
                    int n = stdin.read(region.buffer());
                    writer.commit(region, Math.max(n, 0));
                    if (n < 0) {
                        return;
                    }
                }
            }
        }
        try (in) {
            while (in.splice(out, 1 << 20) >= 0) {
                // pipe to pipe, no copy
            }
        }
    }

    private int copy() throws IOException {
        WritableByteChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        for (Path p : inputs()) {
            if (isStdin(p)) {
                copyChannel(new FileInputStream(FileDescriptor.in).getChannel(), out);
            } else {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    long size = ch.size();
                    for (long pos = 0; pos < size; ) {
                        pos += ch.transferTo(pos, size - pos, out);
                    }
                }
            }
        }
        return 0;
    }

    private static void copyChannel(ReadableByteChannel in, WritableByteChannel out) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 20);
        while (in.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }
}
