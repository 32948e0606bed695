package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Callable;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriter.Policy;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes SIZE bytes of the pipebench stream pattern to standard output with vmsplice, at full speed.
 * {@code pump 8g | drain} and {@code pump 8g | pipebench r read -v} check every byte.
 */
@Command(name = "pump", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Unix.Version.class,
        description = {"Writes SIZE bytes of the stream pattern of pipebench.c to standard output with vmsplice(2),",
            "safe by default under any consumer (see --recycle for the faster ring and what it assumes).",
            "The little-endian 64-bit word at stream offset o is o ^ 0x5DEECE66DA3B1F27.",
            "Reports GiB/s on standard error, live when it is a terminal."})
public final class Pump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "bytes to write, such as 4096, 64k, 512m, 8g")
    long size;

    @Option(names = "--chunk", defaultValue = "256k", converter = SizeConverter.class,
            description = "bytes per vmsplice call (default: ${DEFAULT-VALUE})")
    long chunk;

    @Option(names = "--pipe-size", defaultValue = "1m", converter = SizeConverter.class,
            description = "pipe capacity to ask for (default: ${DEFAULT-VALUE})")
    long pipeSize;

    @Option(names = "--small-pages", description = "keep the memory on 4 KiB pages, not 2 MiB transparent huge pages")
    boolean smallPages;

    @Option(names = "--recycle", description = {"PipeWriter's RECYCLE policy: one ring reused in place once the pipe holds",
        "none of its bytes. Faster, and correct ONLY when the consumer copies (read, splice to a file or /dev/null):",
        "a consumer that splices or tees the pages onward (pv, vmcat, a socket) would receive bytes written later.",
        "Without it, the safe default: memory handed to the pipe is never written again, whatever the consumer does"})
    boolean recycle;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Pump()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            return run();
        } catch (IOException e) {
            if (Unix.isBrokenPipe(e)) {
                return Unix.BROKEN_PIPE_STATUS;
            }
            System.err.println("pump: " + Unix.reason(e));
            return 1;
        }
    }

    private int run() throws IOException {
        PipeSink out = stdoutPipeOrSay("pump", "writing with write(2) instead");
        if (out == null) {
            return copy();
        }
        try (out; PipeWriter writer = PipeWriter.builder(out).policy(recycle ? Policy.RECYCLE : Policy.SAFE)
                .regionSize(chunk).pipeCapacity((int) Math.min(pipeSize, Integer.MAX_VALUE)).hugePages(!smallPages).build()) {
            String how = "PipeWriter " + writer.policy() + " (" + writer.mode() + "), regions of "
                    + Sizes.format(writer.regionSize()) + ", pipe " + Sizes.format(writer.pipeCapacity())
                    + ", memory " + Sizes.format(writer.ringSize()) + (writer.hugePages() ? " on huge pages" : "");
            return pump(how, writer.regionSize(), (offset, len) -> {
                PipeWriter.Region region = writer.claim();
                StreamPattern.fill(region.buffer(), 0, offset, len);
                writer.commit(region, len);
            });
        }
    }

    /** Writes the bytes of the stream from {@code offset} on. */
    private interface ChunkWriter {
        void write(long offset, int length) throws IOException;
    }

    /** The stream in chunks of {@code chunkBytes}, with progress, and a plain word when the reader leaves. */
    private int pump(String how, int chunkBytes, ChunkWriter writer) throws IOException {
        Progress progress = new Progress("pump", size);
        progress.start();
        long offset = 0;
        try {
            while (offset < size) {
                int n = (int) Math.min(chunkBytes, size - offset);
                writer.write(offset, n);
                offset += n;
                progress.update(offset);
            }
        } catch (IOException e) {
            if (Unix.isBrokenPipe(e)) {
                return Unix.BROKEN_PIPE_STATUS; // the reader went away: quietly, as cat
            }
            throw e;
        }
        progress.finish(offset, how);
        return 0;
    }

    /**
     * Standard output as a sink, or null after saying why not and what happens {@code instead}.
     */
    static PipeSink stdoutPipeOrSay(String program, String instead) {
        try {
            return Pipes.stdout();
        } catch (IOException notAPipe) {
            System.err.println(program + ": " + notAPipe.getMessage() + "; " + instead);
            return null;
        }
    }

    private int copy() throws IOException {
        FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(4096, Math.min(chunk, 1 << 24)) & -8);
        Progress progress = new Progress("pump", size);
        progress.start();
        long offset = 0;
        while (offset < size) {
            int n = (int) Math.min(buf.capacity(), size - offset);
            buf.clear();
            StreamPattern.fill(buf, 0, offset, n);
            buf.limit(n);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            offset += n;
            progress.update(offset);
        }
        progress.finish(offset, "write(2), not a pipe");
        return 0;
    }
}
