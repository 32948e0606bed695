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
 * PIPE} bytes first, as {@code filesplice.c} does.
 *
 * <pre>FileToPipe transferTo|jsplice FILE PIPE</pre>
 */
public final class FileToPipe {
    private FileToPipe() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        int pipe = Integer.parseInt(args[2]);
        try (PipeSink out = Pipes.stdout()) {
            out.capacity(pipe);
            if (args[0].equals("jsplice")) {
                try (NativeFile in = Pipes.openFile(file, StandardOpenOption.READ)) {
                    out.transferFrom(in, 0, Long.MAX_VALUE);
                }
            } else {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                        FileChannel stdout = new FileOutputStream(FileDescriptor.out).getChannel()) {
                    long size = in.size();
                    for (long at = 0; at < size; ) {
                        at += in.transferTo(at, size - at, stdout);
                    }
                }
            }
        }
    }
}
