package org.jsplice.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.PipeWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Feeds real programs through vmsplice and checks their answers: {@code sha256sum} of the stream
 * against Java's own digest, and a {@code gzip -1 | gzip -d} round trip whose output must be the
 * stream again. Each is one {@link ChildRun}: the children's standard input and output are
 * jsplice pipes, fed and drained at once, the input written with {@link PipeWriter}'s safe default
 * (a child may splice the pages onward, and the writer never writes them again).
 */
@Command(name = "feed", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Feeds SIZE bytes of the stream pattern into sha256sum and into gzip -1 | gzip -d through",
            "vmsplice (one ChildRun each, fed and drained at once), and checks what comes back: the digest against Java's, the round trip byte for byte.",
            "Reports the rate of each on standard error."})
public final class Feed implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SIZE", defaultValue = "1g", converter = SizeConverter.class,
            description = "bytes to feed each program (default: ${DEFAULT-VALUE})")
    long size;

    @Option(names = "--chunk", defaultValue = "256k", converter = SizeConverter.class,
            description = "bytes per region (default: ${DEFAULT-VALUE})")
    long chunk;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Feed()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean ok = sha256sum() & gzipRoundTrip();
        return ok ? 0 : 1;
    }

    /** Writes the stream into {@code writer}, each region filled right before its commit. */
    private void stream(PipeWriter writer, MessageDigest digest) throws IOException {
        for (long offset = 0; offset < size; ) {
            PipeWriter.Region r = writer.claim();
            int n = (int) Math.min(r.capacity(), size - offset);
            StreamPattern.fill(r.buffer(), 0, offset, n);
            if (digest != null) {
                digest.update(r.buffer().duplicate().limit(n));
            }
            writer.commit(r, n);
            offset += n;
        }
    }

    private boolean sha256sum() throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ChildRun.of(new ProcessBuilder("sha256sum"))
                .input(ChildInput.writer(b -> b.regionSize(chunk), w -> stream(w, digest)))
                .output(ChildOutput.stream(answer))
                .run();
        double secs = (System.nanoTime() - start) / 1e9;
        String sum = answer.toString(StandardCharsets.US_ASCII).trim();
        String expected = HexFormat.of().formatHex(digest.digest());
        boolean ok = sum.startsWith(expected + " ");
        System.err.printf("feed: sha256sum of %s: %s, %s Java's (%s/s through PipeWriter's safe default)%n",
                Sizes.format(size), sum.isEmpty() ? "(nothing)" : sum.split("\\s+")[0], ok ? "equal to" : "DIFFERENT FROM",
                Sizes.format(size / secs));
        return ok;
    }

    /** Both gzips in one pipeline, fed and drained at once: no thread of ours, no deadlock to avoid. */
    private boolean gzipRoundTrip() throws IOException {
        long start = System.nanoTime();
        long[] offset = {0};
        long[] wrong = {-1};
        ChildRun.Result r = ChildRun.pipeline(new ProcessBuilder("gzip", "-1"), new ProcessBuilder("gzip", "-d"))
                .input(ChildInput.writer(b -> b.regionSize(chunk), w -> stream(w, null)))
                .output(ChildOutput.buffers(b -> {
                    if (wrong[0] < 0) {
                        wrong[0] = StreamPattern.verify(b.duplicate(), offset[0]);
                    }
                    offset[0] += b.remaining();
                }))
                .run();
        double secs = (System.nanoTime() - start) / 1e9;
        boolean ok = wrong[0] < 0 && r.bytesOut() == size;
        System.err.printf("feed: gzip -1 | gzip -d gave back %s of %s, %s (%s/s)%n", Sizes.format(r.bytesOut()), Sizes.format(size),
                ok ? "every byte checked" : wrong[0] >= 0 ? "CORRUPT from stream offset " + wrong[0] : "SHORT",
                Sizes.format(size / secs));
        return ok;
    }
}
