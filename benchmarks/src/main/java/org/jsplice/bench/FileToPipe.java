package org.jsplice.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;

/**
 * A file into standard output, a pipe, the way a Java user would write it: the JDK's {@code
 * FileChannel.transferTo}, or jsplice's {@code PipeSink.transferFrom}. Both set the pipe to {@code
 * PIPE} bytes first, as {@code filesplice.c} does, and send the file {@code TIMES} times (default 1),
 * so that a run can be long enough for the compiler to be done.
 *
 * <pre>FileToPipe transferTo|jsplice FILE PIPE [TIMES]</pre>
 */
public final class FileToPipe {
    private FileToPipe() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        int pipe = Integer.parseInt(args[2]);
        int times = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        try (PipeSink out = Pipes.stdout()) {
            out.capacity(pipe);
            for (int i = 0; i < times; i++) {
                send(args[0], file, out);
            }
        }
    }

    private static void send(String how, Path file, PipeSink out) throws IOException {
        if (how.equals("jsplice")) {
            try (NativeFile in = Pipes.openFile(file, StandardOpenOption.READ)) {
                out.transferFrom(in, 0, Long.MAX_VALUE);
            }
        } else {
            // Standard output's channel stays open: closing it would close descriptor 1.
            FileChannel stdout = new FileOutputStream(FileDescriptor.out).getChannel();
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                for (long at = 0; at < size; ) {
                    at += in.transferTo(at, size - at, stdout);
                }
            }
        }
    }
}
