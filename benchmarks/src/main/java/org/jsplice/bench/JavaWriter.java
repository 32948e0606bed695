package org.jsplice.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeSink;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterBuilder;
import org.jsplice.Pipes;

/**
 * The Java writers of the end-to-end harness, each writing N bytes to standard output as {@code
 * pipebench w vmsplice} does: the same ring discipline, buffers sent as they are (no refill), so that
 * what differs is the path into the kernel.
 *
 * <pre>JavaWriter MODE TOTAL SEG PIPE [huge]   MODE: raw | recycle | safe | safe-copy | safe-fresh | stream-copy | write-fully | fos | channel</pre>
 *
 * {@code stream-copy}: records of SEG bytes from a heap array through {@code asOutputStream()} of a
 * {@code COPY} writer of 64 KiB regions, so that several records go in one commit (two copies: the
 * array into the region, the region into the pipe); 4 KiB pages unless {@code huge}. {@code
 * write-fully}: the core's copy call alone, {@code PipeSink.writeFully} of one segment of native
 * memory in a loop.
 */
public final class JavaWriter {
    private JavaWriter() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        long total = Long.parseLong(args[1]);
        int seg = Integer.parseInt(args[2]);
        int pipe = Integer.parseInt(args[3]);
        boolean huge = args.length > 4 && args[4].equals("huge");
        boolean fill = args.length > 5 && args[5].equals("fill");
        switch (mode) {
            case "raw": raw(total, seg, pipe, huge); break;
            case "recycle": writer(PipeWriter.Policy.RECYCLE, null, total, seg, pipe, huge, fill); break;
            case "safe": writer(PipeWriter.Policy.SAFE, null, total, seg, pipe, huge, fill); break;
            case "safe-copy": writer(PipeWriter.Policy.SAFE, PipeWriter.Mode.COPY, total, seg, pipe, huge, fill); break;
            case "safe-fresh": writer(PipeWriter.Policy.SAFE, PipeWriter.Mode.FRESH_PAGES, total, seg, pipe, huge, fill); break;
            case "stream-copy": streamCopy(total, seg, pipe, huge); break;
            case "write-fully": writeFully(total, seg, pipe); break;
            case "fos": fileOutputStream(total, seg, fill); break;
            case "channel": fileChannel(total, seg); break;
            default: throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /** vmspliceFully over a ring of max(2 x pipe, pipe + seg), as pipebench's vmsplice writer. */
    private static void raw(long total, int seg, int pipe, boolean huge) throws IOException {
        try (PipeSink out = Pipes.stdout()) {
            int capacity = out.capacity(pipe);
            long ring = Math.max(2L * capacity, (long) capacity + seg);
            ring = (ring + seg - 1) / seg * seg;
            try (NativeBuffer memory = huge ? Pipes.allocateHuge(ring) : Pipes.allocate(ring)) {
                ByteBuffer view = memory.asByteBuffer();
                for (int i = 0; i < view.capacity(); i += 8) {
                    view.putLong(i, i); // touch every page now, so faults are not timed
                }
                int slots = (int) (ring / seg);
                @SuppressWarnings("unchecked")
                List<IoVec>[] lists = new List[slots];
                for (int s = 0; s < slots; s++) {
                    lists[s] = Arrays.asList(memory.slice((long) s * seg, seg));
                }
                int slot = 0;
                for (long sent = 0; sent < total; sent += seg) {
                    out.vmspliceFully(lists[slot]);
                    slot = slot + 1 == slots ? 0 : slot + 1;
                }
            }
        }
    }

    /**
     * Through a {@link PipeWriter}. With {@code fill}, every byte is written with the stream pattern
     * of {@code pipebench.c} before its commit, as a real writer must (and as {@code safewriter.c}
     * does); without, a fresh region gets one byte per page, so that its pages exist.
     */
    private static void writer(PipeWriter.Policy policy, PipeWriter.Mode mode, long total, int seg, int pipe,
            boolean huge, boolean fill) throws IOException {
        try (PipeSink out = Pipes.stdout()) {
            PipeWriterBuilder b = PipeWriter.builder(out).policy(policy).regionSize(seg).pipeCapacity(pipe).hugePages(huge);
            if (mode != null) {
                b.mode(mode);
            }
            try (PipeWriter writer = b.build()) {
                System.err.println("WRITER " + writer);
                long page = Pipes.provider().pageSize();
                boolean fresh = writer.mode() == PipeWriter.Mode.FRESH_PAGES;
                for (long sent = 0; sent < total; sent += seg) {
                    PipeWriter.Region r = writer.claim();
                    ByteBuffer buf = r.buffer();
                    if (fill) {
                        fill(buf, seg, sent);
                    } else if (fresh) {
                        for (int i = 0; i < seg; i += (int) page) {
                            buf.put(i, (byte) i);
                        }
                    }
                    writer.commit(r, seg);
                }
            }
        }
    }

    private static final long KEY = 0x5DEECE66DA3B1F27L;

    /** The stream pattern of {@code pipebench.c}: the 64-bit word at offset {@code o} is {@code o ^ KEY}. */
    static void fill(ByteBuffer b, int length, long offset) {
        for (int i = 0; i < length; i += 8) {
            b.putLong(i, (offset + i) ^ KEY);
        }
    }

    private static void streamCopy(long total, int seg, int pipe, boolean huge) throws IOException {
        try (PipeSink out = Pipes.stdout();
                PipeWriter writer = PipeWriter.builder(out).mode(PipeWriter.Mode.COPY).regionSize(64 << 10).pipeCapacity(pipe)
                        .hugePages(huge).build()) {
            System.err.println("WRITER " + writer + " stream of " + seg + "-byte writes");
            java.io.OutputStream stream = writer.asOutputStream();
            byte[] buf = new byte[seg];
            for (long sent = 0; sent < total; sent += seg) {
                stream.write(buf, 0, (int) Math.min(seg, total - sent));
            }
            stream.flush();
        }
    }

    /** The core's copy call alone: {@code writeFully} of one segment of native memory, again and again. */
    private static void writeFully(long total, int seg, int pipe) throws IOException {
        try (PipeSink out = Pipes.stdout(); NativeBuffer memory = Pipes.allocate(seg)) {
            out.capacity(pipe);
            List<IoVec> one = Arrays.asList(memory.slice(0, seg));
            for (long sent = 0; sent < total; sent += seg) {
                out.writeFully(sent + seg <= total ? one : Arrays.asList(memory.slice(0, total - sent)));
            }
        }
    }

    private static void fileOutputStream(long total, int seg, boolean fill) throws IOException {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] buf = new byte[seg];
        ByteBuffer view = ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long sent = 0; sent < total; sent += seg) {
            if (fill) {
                fill(view, seg, sent);
            }
            out.write(buf);
        }
        out.flush();
    }

    private static void fileChannel(long total, int seg) throws IOException {
        FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        ByteBuffer buf = ByteBuffer.allocateDirect(seg);
        for (long sent = 0; sent < total; sent += seg) {
            buf.clear();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        }
    }
}
