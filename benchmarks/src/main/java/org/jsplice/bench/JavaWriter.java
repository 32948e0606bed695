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
import org.jsplice.Pipes;

/**
 * The Java writers of the end-to-end harness, each writing N bytes to standard output as {@code
 * pipebench w vmsplice} does: the same ring discipline, buffers sent as they are (no refill), so that
 * what differs is the path into the kernel.
 *
 * <pre>JavaWriter MODE TOTAL SEG PIPE [huge]   MODE: raw | recycle | fresh | fos | channel</pre>
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
        switch (mode) {
            case "raw": raw(total, seg, pipe, huge); break;
            case "recycle": writer(PipeWriter.Policy.RECYCLE, total, seg, pipe, huge); break;
            case "fresh": writer(PipeWriter.Policy.FRESH, total, seg, pipe, huge); break;
            case "fos": fileOutputStream(total, seg); break;
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

    private static void writer(PipeWriter.Policy policy, long total, int seg, int pipe, boolean huge) throws IOException {
        try (PipeSink out = Pipes.stdout();
                PipeWriter writer = PipeWriter.builder(out).policy(policy).regionSize(seg).pipeCapacity(pipe)
                        .hugePages(huge).build()) {
            long page = Pipes.provider().pageSize();
            for (long sent = 0; sent < total; sent += seg) {
                PipeWriter.Region r = writer.claim();
                if (policy == PipeWriter.Policy.FRESH) {
                    ByteBuffer b = r.buffer();
                    for (int i = 0; i < seg; i += (int) page) {
                        b.put(i, (byte) i); // fresh pages: touch each once, as any real fill would
                    }
                }
                writer.commit(r, seg);
            }
        }
    }

    private static void fileOutputStream(long total, int seg) throws IOException {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] buf = new byte[seg];
        for (long sent = 0; sent < total; sent += seg) {
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
