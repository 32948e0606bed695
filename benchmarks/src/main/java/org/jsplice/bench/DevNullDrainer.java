package org.jsplice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.Pipes;

/** A daemon thread that splices a pipe's bytes to /dev/null until the write end closes. */
final class DevNullDrainer implements AutoCloseable {
    private final NativeFile devNull;
    private final Thread thread;

    DevNullDrainer(Pipe pipe) throws IOException {
        devNull = Pipes.openFile(Path.of("/dev/null"), StandardOpenOption.WRITE);
        thread = new Thread(() -> {
            try {
                while (pipe.source().splice(devNull, 0, 1 << 20) >= 0) {
                    // drain
                }
            } catch (IOException ignored) {
                // closed at tear-down
            }
        }, "drainer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the drainer to see the end of the stream (close the write end first). */
    @Override
    public void close() throws Exception {
        thread.join(10_000);
        devNull.close();
    }
}
