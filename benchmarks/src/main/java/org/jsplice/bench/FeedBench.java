package org.jsplice.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsplice.PipeWriter;
import org.jsplice.process.PipedProcess;

/**
 * Feeding a child process, every byte written by Java (the stream pattern of {@code pipebench.c},
 * filled in before each chunk is sent), as a user compares it: {@code PipedProcess} and a
 * {@code PipeWriter} (the safe default) against {@code Process.getOutputStream()}. The child is
 * the command after {@code --}, such as {@code pipebench r splice} (splices its input away) or
 * {@code pipebench r read} (copies it), whose own figure goes to standard error with this one's.
 *
 * <pre>FeedBench jsplice|stream TOTAL CHUNK -- CHILD [ARG...]</pre>
 */
public final class FeedBench {
    private FeedBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long total = Long.parseLong(args[1]);
        int chunk = Integer.parseInt(args[2]);
        List<String> child = Arrays.asList(args).subList(Arrays.asList(args).indexOf("--") + 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(child).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        int status;
        if (mode.equals("jsplice")) {
            try (PipedProcess p = PipedProcess.start(pb, true, false);
                    PipeWriter w = PipeWriter.builder(p.stdin()).regionSize(chunk).build()) {
                for (long sent = 0; sent < total; sent += chunk) {
                    PipeWriter.Region r = w.claim();
                    JavaWriter.fill(r.buffer(), chunk, sent);
                    w.commit(r, chunk);
                }
                w.close();
                System.err.println("WRITER " + w);
                p.stdin().close();
                status = p.process().waitFor();
            }
        } else {
            Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
            byte[] buf = new byte[chunk];
            ByteBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            try (OutputStream out = p.getOutputStream()) {
                for (long sent = 0; sent < total; sent += chunk) {
                    JavaWriter.fill(view, chunk, sent);
                    out.write(buf);
                }
            }
            status = p.waitFor();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new IOException("the child exited with " + status);
        }
        System.err.printf(Locale.ROOT, "FEED mode=%s bytes=%d chunk=%d secs=%.3f gibps=%.3f%n", mode, total, chunk, secs,
                total / secs / (1L << 30));
    }
}
