package org.jsplice.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.process.FanOut;
import org.jsplice.PipeWriter;

/**
 * Running a program over data as a user writes it today, {@code ProcessBuilder} with a thread per
 * stream copying through {@code transferTo}, against {@link ChildRun} and {@link FanOut}:
 * <ul>
 *   <li>{@code cat TOTAL}: TOTAL bytes from memory through {@code cat} and back into Java memory;</li>
 *   <li>{@code sha FILE}: a file into {@code sha256sum};</li>
 *   <li>{@code fan TOTAL}: TOTAL bytes from memory to two {@code cat > /dev/null}: {@link FanOut}
 *       against writing every chunk to both children.</li>
 * </ul>
 * The bytes from memory are the same 256 KiB chunk copied into place each time (a region's memory
 * for jsplice, the stream's array for the JDK). Prints the rate on standard error; a wrong count or
 * digest fails the run.
 *
 * <pre>ChildRunBench jsplice|jdk cat|sha|fan TOTAL|FILE</pre>
 *
 * <p>Paired in one JVM, the sides alternating (the first changing each round) after a warm-up
 * round, with the medians and the median paired ratios printed beside the anchor's own figure:
 * <pre>
 * ChildRunBench paired cat TOTAL ROUNDS
 *     TOTAL bytes from memory through cat and back into Java memory: ChildRun (ChildInput.writer,
 *     ChildOutput.buffers) against the C pipeline {@code pipebench w write -f | cat | pipebench r read}
 *     with 1 MiB pipes (its wall time from here, and its reader's own figure), and against
 *     ProcessBuilder with transferTo; 2g 5 by default
 * ChildRunBench paired out TOTAL ROUNDS [FILE]
 *     a child that writes a lot, {@code pipebench w write} of TOTAL bytes (its pipe left as the
 *     parent made it), or {@code cat FILE} of a page-cached file, read into Java memory: ChildRun's
 *     output (ChildOutput.buffers, 64 KiB direct reads) against Process.getInputStream() with
 *     transferTo into a null sink, and read into a 64 KiB direct buffer; 4g 7 by default
 * </pre>
 * Run from the checkout's top: the paired jobs compile {@code benchmarks/src/main/c/pipebench.c}
 * into {@code benchmarks/target/pipebench}.
 */
public final class ChildRunBench {
    private static final int CHUNK = 256 << 10;

    private ChildRunBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("paired")) {
            ChildRunPaired.main(args);
            return;
        }
        boolean jsplice = args[0].equals("jsplice");
        String job = args[1];
        byte[] chunk = chunk();
        long start = System.nanoTime();
        long bytes;
        switch (job) {
            case "cat": bytes = cat(jsplice, Sizes.parse(args[2]), chunk); break;
            case "sha": bytes = sha(jsplice, Path.of(args[2])); break;
            case "fan": bytes = fan(jsplice, Sizes.parse(args[2]), chunk); break;
            default: throw new IllegalArgumentException("job: cat, sha or fan");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "%s %s: %.3f GiB in %.2f s: %.2f GiB/s%n", args[0], job, bytes / 1073741824.0, secs,
                bytes / 1073741824.0 / secs);
    }

    static byte[] chunk() {
        byte[] chunk = new byte[CHUNK];
        JavaWriter.fill(ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN), CHUNK, 0);
        return chunk;
    }

    private static void fill(PipeWriter w, long total, byte[] chunk) throws IOException {
        for (long sent = 0; sent < total; sent += CHUNK) {
            PipeWriter.Region r = w.claim();
            r.buffer().put(0, chunk, 0, CHUNK);
            w.commit(r, CHUNK);
        }
    }

    private static void write(OutputStream out, long total, byte[] chunk) throws IOException {
        for (long sent = 0; sent < total; sent += CHUNK) {
            out.write(chunk);
        }
    }

    private static Thread thread(IoTask task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.start();
        return t;
    }

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }

    private static void check(long expected, long got, String what) {
        if (expected != got) {
            throw new IllegalStateException(what + ": expected " + expected + " bytes, got " + got);
        }
    }

    static long cat(boolean jsplice, long total, byte[] chunk) throws Exception {
        if (jsplice) {
            ChildRun.Result r = ChildRun.of(new ProcessBuilder("cat"))
                    .input(ChildInput.writer(b -> b.regionSize(CHUNK), w -> fill(w, total, chunk)))
                    .output(ChildOutput.buffers(b -> { }))
                    .run();
            check(total, r.bytesOut(), "cat");
            return total;
        }
        Process p = new ProcessBuilder("cat").start();
        Thread in = thread(() -> {
            try (OutputStream out = p.getOutputStream()) {
                write(out, total, chunk);
            }
        });
        long out;
        try (InputStream from = p.getInputStream()) {
            out = from.transferTo(OutputStream.nullOutputStream());
        }
        in.join();
        check(0, p.waitFor(), "cat's status");
        check(total, out, "cat");
        return total;
    }

    private static long sha(boolean jsplice, Path file) throws Exception {
        long size = Files.size(file);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        if (jsplice) {
            ChildRun.of(new ProcessBuilder("sha256sum")).input(ChildInput.file(file)).output(ChildOutput.stream(answer)).run();
        } else {
            Process p = new ProcessBuilder("sha256sum").start();
            Thread in = thread(() -> {
                try (InputStream from = Files.newInputStream(file); OutputStream out = p.getOutputStream()) {
                    from.transferTo(out);
                }
            });
            try (InputStream from = p.getInputStream()) {
                from.transferTo(answer);
            }
            in.join();
            check(0, p.waitFor(), "sha256sum's status");
        }
        if (answer.size() != 68) {
            throw new IllegalStateException("sha256sum said: " + answer);
        }
        return size;
    }

    private static long fan(boolean jsplice, long total, byte[] chunk) throws Exception {
        ProcessBuilder consumer = new ProcessBuilder("sh", "-c", "exec cat > /dev/null");
        if (jsplice) {
            FanOut.Result r = FanOut.of(ChildInput.writer(b -> b.regionSize(CHUNK), w -> fill(w, total, chunk)),
                    ChildOutput.child(ChildRun.of(consumer)), ChildOutput.child(ChildRun.of(consumer))).run();
            check(total, r.bytesTaken(0), "first consumer");
            check(total, r.bytesTaken(1), "second consumer");
            return total;
        }
        List<Process> ps = List.of(consumer.start(), consumer.start());
        try (OutputStream a = ps.get(0).getOutputStream(); OutputStream b = ps.get(1).getOutputStream()) {
            for (long sent = 0; sent < total; sent += CHUNK) {
                a.write(chunk);
                b.write(chunk);
            }
        }
        for (Process p : ps) {
            check(0, p.waitFor(), "consumer's status");
        }
        return total;
    }

    /** Sizes as people write them: 4g, 256m, 64k, or bytes. */
    static final class Sizes {
        static long parse(String s) {
            char unit = Character.toLowerCase(s.charAt(s.length() - 1));
            int shift = unit == 'g' ? 30 : unit == 'm' ? 20 : unit == 'k' ? 10 : 0;
            return Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1)) << shift;
        }
    }
}
