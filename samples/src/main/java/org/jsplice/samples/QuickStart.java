package org.jsplice.samples;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;

/**
 * The README's quick start: {@code vmsplice} a buffer to standard output, which must be a pipe.
 *
 * <pre>java -cp 'samples/target/jsplice-samples.jar' org.jsplice.samples.QuickStart | cat</pre>
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        byte[] text = "hello from vmsplice\n".getBytes(StandardCharsets.US_ASCII);
        try (PipeSink out = Pipes.stdout(); NativeBuffer buffer = Pipes.allocate(text.length)) {
            buffer.asByteBuffer().put(text);
            out.vmspliceFully(List.of(buffer.slice(0, text.length)));
        } // unmapping right after the call is safe: the pipe holds its own references to the pages
    }
}
