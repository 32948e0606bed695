package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link PipeWriter#write(ByteBuffer)}: bytes copied into regions and committed as one record. A
 * record larger than a region holds the writer's commit lock from its first part to its last, so
 * that no other thread's commit comes between its parts, and never waits for another thread's
 * claim once it has the lock: a part that finds every region held goes through the spare, by copy.
 * So a record goes whole, or fails before any part of it has left (waiting for a region or for the
 * lock), or fails in the pipe saying how many bytes moved. Stateless.
 */
final class WriterRecords {
    private WriterRecords() {
    }

    static void write(PipeWriter writer, RegionSlots slots, int regionSize, ByteBuffer src) throws IOException {
        if (src.remaining() <= regionSize) {
            if (src.hasRemaining()) {
                PipeWriter.Region r = writer.claim();
                fill(writer, r, src, src.remaining());
            }
            return;
        }
        writer.lockToCommit(); // an interrupt or close ends the wait before any part has left
        long before = writer.committed();
        try {
            slots.beginRecord();
            try {
                boolean first = true;
                while (src.hasRemaining()) {
                    int n = Math.min(src.remaining(), regionSize);
                    PipeWriter.Region r = slots.claimPart(writer.sink(), first);
                    first = false;
                    if (r != null) {
                        fill(writer, r, src, n);
                    } else {
                        NativeBuffer spare = slots.spare();
                        spare.asByteBuffer().put(0, src, src.position(), n);
                        writer.send(spare.address(), n, true);
                        src.position(src.position() + n);
                    }
                }
            } finally {
                slots.endRecord();
            }
        } catch (IOException e) {
            // Only the commit lock's holder commits, so the count's growth is this record's.
            throw Transfers.after(e, writer.committed() - before - PartialTransfer.of(e));
        } finally {
            writer.unlockCommit();
        }
    }

    /** Copies {@code n} bytes of {@code src} into the claimed region and commits them. */
    private static void fill(PipeWriter writer, PipeWriter.Region r, ByteBuffer src, int n) throws IOException {
        try {
            r.buffer().put(0, src, src.position(), n);
        } catch (RuntimeException e) {
            writer.abort(r);
            throw e;
        }
        writer.commit(r, n);
        src.position(src.position() + n);
    }
}
