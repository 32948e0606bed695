package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.FanOut;
import org.jsplice.process.FanOutException;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Like {@code tee}, zero-copy: standard input goes to standard output and to every FILE through
 * {@link FanOut}, which gives each of them the same pages with {@code tee(2)} and {@code splice(2)},
 * none of them through the JVM's memory when standard input and output are pipes. As {@code tee}:
 * a FILE that cannot be written is reported as {@code vmtee: NAME: reason}, the others still get
 * everything, and the exit status is 1; a reader of standard output that goes away ends its share
 * quietly, and the status is 141 as for {@code tee} killed by SIGPIPE.
 */
@Command(name = "vmtee", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Copies standard input to standard output and to each FILE, zero-copy: the same pages go to",
            "every one of them with tee(2) and splice(2) (when standard input and output are pipes, no byte passes",
            "through the JVM). The slowest one sets the pace. A FILE that fails is reported and the others still",
            "get everything (exit status 1); a reader of standard output that goes away ends vmtee with status 141."})
public final class VmTee implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "files to write (created or truncated)")
    List<Path> files = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new VmTee()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        ChildInput input;
        try {
            input = ChildInput.pipe(Pipes.stdin());
        } catch (IOException notAPipe) {
            input = ChildInput.stream(new FileInputStream(FileDescriptor.in));
        }
        List<ChildOutput> outputs = new ArrayList<>();
        try {
            outputs.add(ChildOutput.pipe(Pipes.stdout()));
        } catch (IOException notAPipe) {
            outputs.add(ChildOutput.stream(new FileOutputStream(FileDescriptor.out)));
        }
        for (Path f : files) {
            outputs.add(ChildOutput.file(f));
        }
        try {
            FanOut.of(input, outputs.toArray(new ChildOutput[0])).run();
            return 0;
        } catch (FanOutException e) {
            FanOut.Result r = e.result();
            int status = 0;
            if (r.failure(0) != null) {
                if (!Unix.isBrokenPipe(r.failure(0))) {
                    Unix.fail("vmtee", "standard output", asIo(r.failure(0)));
                    status = 1;
                } else {
                    status = Unix.BROKEN_PIPE_STATUS;
                }
            }
            for (int i = 0; i < files.size(); i++) {
                if (r.failure(i + 1) != null) {
                    Unix.fail("vmtee", files.get(i).toString(), asIo(r.failure(i + 1)));
                    status = status == 0 ? 1 : status;
                }
            }
            if (r.inputFailure() != null) {
                Unix.fail("vmtee", "standard input", asIo(r.inputFailure()));
                status = 1;
            }
            return status;
        }
    }

    private static IOException asIo(Throwable t) {
        return t instanceof IOException ? (IOException) t : new IOException(t.toString(), t);
    }
}
