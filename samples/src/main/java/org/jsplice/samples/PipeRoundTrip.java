package org.jsplice.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.Locale;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Moves a stream through a pipe with {@code vmsplice} while a reader thread checks every byte.
 *
 * <p>The writer fills regions of a {@link PipeWriter} with the stream pattern and commits each. The
 * policy is RECYCLE, chosen on purpose: the consumer is this program's own reader, which copies
 * every byte out of the pipe, so a ring reused once the pipe holds none of its bytes is safe.
 *
 * <pre>java -jar samples/target/jsplice-samples.jar [size, default 1g] [chunk, default 256k]</pre>
 */
@Command(name = "roundtrip", mixinStandardHelpOptions = true,
        description = {"Moves SIZE bytes through a pipe with vmsplice; a reader thread checks every byte.",
            "Writes with PipeWriter's RECYCLE policy: the reader is this program's own and copies every byte, which is",
            "what RECYCLE assumes; a writer whose consumer is unknown keeps the safe default."})
public final class PipeRoundTrip implements Callable<Integer> {
    private static final int PIPE_SIZE = 1 << 20;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SIZE", defaultValue = "1g", converter = SizeConverter.class,
            description = "bytes to move (default: ${DEFAULT-VALUE})")
    long size;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHUNK", defaultValue = "256k", converter = SizeConverter.class,
            description = "bytes per vmsplice call (default: ${DEFAULT-VALUE})")
    long chunk;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipeRoundTrip()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run(size, chunk) ? 0 : 1;
    }

    static boolean run(long total, long chunkArg) throws IOException, InterruptedException {
        try (Pipe pipe = Pipes.open()) {
            PipeSink sink = pipe.sink();
            Reader reader = new Reader(pipe.source());
            Thread thread = new Thread(reader, "verifying-reader");
            thread.start();

            int capacity;
            int chunk;
            long ringSize;
            try (PipeWriter writer = PipeWriter.builder(sink).policy(PipeWriter.Policy.RECYCLE).regionSize(chunkArg).pipeCapacity(PIPE_SIZE).build()) {
                capacity = writer.pipeCapacity();
                chunk = writer.regionSize();
                ringSize = writer.ringSize();
                for (long offset = 0; offset < total; ) {
                    PipeWriter.Region region = writer.claim();
                    int n = (int) Math.min(chunk, total - offset);
                    StreamPattern.fill(region.buffer(), 0, offset, n);
                    writer.commit(region, n);
                    offset += n;
                }
            } finally {
                sink.close();
                thread.join();
            }

            if (reader.failure != null) {
                System.err.println("reader failed: " + reader.failure);
                return false;
            }
            if (reader.mismatchAt >= 0 || reader.received != total) {
                System.err.printf(Locale.ROOT, "CORRUPT: received %d of %d bytes; first wrong byte at %d%n",
                        reader.received, total, reader.mismatchAt);
                return false;
            }
            double seconds = (reader.endNanos - reader.startNanos) / 1e9;
            System.out.printf(Locale.ROOT,
                    "moved %s through a %s pipe with vmsplice in chunks of %s (ring %s); the reader verified every byte: "
                            + "%.2f GiB/s (provider %s, zero-copy %s, %s)%n",
                    Sizes.format(total), Sizes.format(capacity), Sizes.format(chunk), Sizes.format(ringSize),
                    total / seconds / (1 << 30), Pipes.provider().name(), Pipes.provider().isZeroCopy() ? "on" : "off",
                    regime());
            return true;
        }
    }

    /** Which regime this kernel's vmsplice is in: it references the pages, it copies them, or it is refused. */
    private static String regime() {
        try {
            switch (Pipes.vmspliceSemantics()) {
                case REFERENCES_PAGES:
                    return "this kernel's vmsplice references pages";
                case COPIES:
                    return "this kernel's vmsplice copies";
                default:
                    return "vmsplice is refused here, so jsplice copies with writev";
            }
        } catch (java.io.IOException e) {
            return "vmsplice's semantics unknown: " + e.getMessage();
        }
    }

    /** Reads to end of stream and checks each byte against the pattern; times from the first byte. */
    private static final class Reader implements Runnable {
        private final PipeSource source;
        volatile long received;
        volatile long mismatchAt = -1;
        volatile Throwable failure;
        long startNanos;
        long endNanos;

        Reader(PipeSource source) {
            this.source = source;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
            long at = 0;
            try {
                for (;;) {
                    buf.clear();
                    int n = source.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (at == 0) {
                        startNanos = System.nanoTime();
                    }
                    buf.flip();
                    long bad = StreamPattern.verify(buf, at);
                    if (bad >= 0 && mismatchAt < 0) {
                        mismatchAt = bad;
                    }
                    at += n;
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                endNanos = System.nanoTime();
                received = at;
            }
        }
    }
}
