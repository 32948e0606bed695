package org.jsplice;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@link PipeWriter#asOutputStream()}: bytes fill a claimed region, which is committed when full, on
 * {@code flush()} and on {@code close()}. As every {@code OutputStream}, it throws {@link
 * IOException} once closed, and once its writer is closed, so that a {@code PrintStream} over it
 * reports through {@code checkError()}. Holds a claim while it has unflushed bytes; one thread.
 */
final class WriterStream extends OutputStream {
    private final PipeWriter writer;
    /** The claim being filled, or null; read by the writer's close. */
    PipeWriter.Region region;
    private boolean closed;

    WriterStream(PipeWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) throws IOException {
        region().buffer().put((byte) b);
        if (!region.buffer().hasRemaining()) {
            flush();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            ByteBuffer buf = region().buffer();
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
            if (!buf.hasRemaining()) {
                flush();
            }
        }
    }

    private PipeWriter.Region region() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (region == null) {
            try {
                region = writer.claim();
            } catch (IllegalStateException e) {
                throw new IOException("the PipeWriter under this stream is closed", e);
            }
        }
        return region;
    }

    @Override
    public void flush() throws IOException {
        if (region != null) {
            PipeWriter.Region r = region;
            region = null;
            writer.commit(r, r.buffer().position());
        }
    }

    boolean closed() {
        return closed;
    }

    /** Flushes, and refuses every later write; the writer stays open. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flush();
        }
    }
}
