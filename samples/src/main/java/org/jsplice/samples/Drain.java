package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.jsplice.NativeFile;
import org.jsplice.PipeSource;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads the pipebench stream pattern from standard input and checks every byte, or splices it away. */
@Command(name = "drain", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Reads standard input to its end and reports GiB/s on standard error, live when it is a terminal.",
            "read mode checks every byte against the stream pattern of pipebench.c (what pump writes);",
            "splice mode moves the bytes to /dev/null (or --output FILE) with splice(2) without looking at them."})
public final class Drain implements Callable<Integer> {
    enum Mode { read, splice }

    @Option(names = "--mode", defaultValue = "read", description = "read or splice (default: ${DEFAULT-VALUE})")
    Mode mode;

    @Option(names = "--expect", converter = SizeConverter.class, description = "fail unless exactly this many bytes arrive")
    Long expect;

    @Option(names = "--output", paramLabel = "FILE",
            description = "in splice mode, splice into FILE (created or truncated) instead of /dev/null")
    Path output;

    @Option(names = "--chunk", defaultValue = "256k", converter = SizeConverter.class,
            description = "bytes per read or splice call (default: ${DEFAULT-VALUE})")
    long chunk;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Drain()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            return run();
        } catch (IOException e) {
            System.err.println("drain: " + Unix.reason(e));
            return 1;
        }
    }

    private int run() throws IOException {
        PipeSource in = null;
        try {
            in = Pipes.stdin();
        } catch (IOException notAPipe) {
            if (mode == Mode.splice) {
                System.err.println("drain: " + notAPipe.getMessage());
                return 2;
            }
        }
        Progress progress = new Progress("drain", expect == null ? 0 : expect);
        long total = 0;
        long mismatch = -1;
        if (mode == Mode.splice) {
            NativeFile target = output == null ? Pipes.openFile(Path.of("/dev/null"), StandardOpenOption.WRITE)
                    : Pipes.openFile(output, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING);
            try (PipeSource source = in; target) {
                long r;
                while ((r = source.splice(target, total, chunk)) >= 0) {
                    progress.start();
                    total += r;
                    progress.update(total);
                }
            }
        } else {
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(chunk, 1 << 26));
            ReadableByteChannel fallback = in == null ? new FileInputStream(FileDescriptor.in).getChannel() : null;
            try (PipeSource source = in) {
                for (;;) {
                    buf.clear();
                    int n = source != null ? source.read(buf) : fallback.read(buf);
                    if (n < 0) {
                        break;
                    }
                    progress.start();
                    buf.flip();
                    long bad = StreamPattern.verify(buf, total);
                    if (bad >= 0 && mismatch < 0) {
                        mismatch = bad;
                    }
                    total += n;
                    progress.update(total);
                }
            }
        }
        progress.finish(total, mode == Mode.read ? "read(2), every byte checked"
                : "splice(2) to " + (output == null ? "/dev/null" : output) + ", not checked");
        if (mismatch >= 0) {
            System.err.println("drain: CORRUPT: the first wrong byte is at stream offset " + mismatch);
            return 1;
        }
        if (expect != null && total != expect) {
            System.err.println("drain: expected " + expect + " bytes, got " + total);
            return 1;
        }
        return 0;
    }
}
