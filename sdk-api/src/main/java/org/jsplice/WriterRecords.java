package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link PipeWriter#write(ByteBuffer)}: bytes copied into regions and committed as one record. A
 * record larger than a region holds the writer's commit lock from its first part to its last, so
 * that no other thread's commit comes between its parts. Stateless.
 */
final class WriterRecords {
    private WriterRecords() {
    }

    static void write(PipeWriter writer, ReentrantLock commitLock, int regionSize, ByteBuffer src) throws IOException {
        if (src.remaining() <= regionSize) {
            part(writer, regionSize, src);
            return;
        }
        PipeWriter.lockToCommit(commitLock); // an interrupt ends the wait before any part has left
        try {
            while (src.hasRemaining()) {
                part(writer, regionSize, src);
            }
        } finally {
            commitLock.unlock();
        }
    }

    private static void part(PipeWriter writer, int regionSize, ByteBuffer src) throws IOException {
        int n = Math.min(src.remaining(), regionSize);
        if (n == 0) {
            return;
        }
        PipeWriter.Region r = writer.claim();
        try {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            r.buffer().put(part);
        } catch (RuntimeException e) {
            writer.abort(r);
            throw e;
        }
        writer.commit(r, n);
        src.position(src.position() + n);
    }
}
