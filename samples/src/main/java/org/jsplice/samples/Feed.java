package org.jsplice.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsplice.PipeWriter;
import org.jsplice.PipedProcess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Feeds real programs through vmsplice and checks their answers: {@code sha256sum} of the stream
 * against Java's own digest, and a {@code gzip -1 | gzip -d} round trip whose output must be the
 * stream again. The children's standard input (and output) are jsplice pipes ({@link
 * PipedProcess}), written with {@link PipeWriter}'s safe default: a child may splice the pages
 * onward, and the writer never writes them again.
 */
@Command(name = "feed", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Feeds SIZE bytes of the stream pattern into sha256sum and into gzip -1 | gzip -d through",
            "vmsplice, without FIFOs, and checks what comes back: the digest against Java's, the round trip byte for byte.",
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

    private boolean sha256sum() throws IOException, InterruptedException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        PipedProcess child = PipedProcess.start(new ProcessBuilder("sha256sum").redirectError(ProcessBuilder.Redirect.INHERIT),
                true, false);
        String mode;
        try (child; PipeWriter writer = PipeWriter.builder(child.stdin()).regionSize(chunk).build()) {
            mode = writer.mode().toString();
            stream(writer, digest);
        }
        String answer = new String(child.process().getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        child.process().waitFor(60, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        String expected = HexFormat.of().formatHex(digest.digest());
        boolean ok = answer.startsWith(expected + " ");
        System.err.printf("feed: sha256sum of %s: %s, %s Java's (%s/s through PipeWriter SAFE, %s)%n", Sizes.format(size),
                answer.isEmpty() ? "(nothing)" : answer.split("\\s+")[0], ok ? "equal to" : "DIFFERENT FROM",
                Sizes.format(size / secs), mode);
        return ok;
    }

    private boolean gzipRoundTrip() throws Exception {
        long start = System.nanoTime();
        try (PipedProcess gzip = PipedProcess.start(new ProcessBuilder("sh", "-c", "gzip -1 | gzip -d")
                .redirectError(ProcessBuilder.Redirect.INHERIT), true, true)) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (PipeWriter writer = PipeWriter.builder(gzip.stdin()).regionSize(chunk).build()) {
                    stream(writer, null);
                    gzip.stdin().close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long offset = 0;
            long wrong = -1;
            int n;
            while ((n = gzip.stdout().read(buf.clear())) >= 0) {
                buf.flip();
                if (wrong < 0) {
                    wrong = StreamPattern.verify(buf, offset);
                }
                offset += n;
            }
            writing.get(60, TimeUnit.SECONDS);
            gzip.process().waitFor(60, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - start) / 1e9;
            boolean ok = wrong < 0 && offset == size;
            System.err.printf("feed: gzip -1 | gzip -d gave back %s of %s, %s (%s/s)%n", Sizes.format(offset), Sizes.format(size),
                    ok ? "every byte checked" : wrong >= 0 ? "CORRUPT from stream offset " + wrong : "SHORT",
                    Sizes.format(size / secs));
            return ok;
        }
    }
}
