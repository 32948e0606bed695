package org.jsplice.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;

/**
 * A ring of page-aligned memory that a writer fills chunk by chunk and splices into a pipe, sized
 * by the memory-lifetime rule for a consumer that copies: capacity + one chunk, so a region comes
 * round again only after the pipe can no longer hold any byte of it. Not for consumers that splice
 * the pages onward. One thread at a time.
 */
final class Ring implements AutoCloseable {
    final int capacity;
    final int chunk;
    private final NativeBuffer memory;
    private final ByteBuffer view;
    private final IoVec[] slices;
    private final IoVec[] holder = new IoVec[1];
    private final List<IoVec> one = Arrays.asList(holder);
    private int next;

    private Ring(int capacity, int chunk, NativeBuffer memory) {
        this.capacity = capacity;
        this.chunk = chunk;
        this.memory = memory;
        this.view = memory.asByteBuffer();
        this.slices = new IoVec[(int) (memory.size() / chunk)];
        for (int r = 0; r < slices.length; r++) {
            slices[r] = memory.slice((long) r * chunk, chunk);
        }
    }

    /**
     * A ring for {@code sink}, whose capacity must not grow afterwards.
     *
     * @param chunkWanted the bytes per vmsplice; rounded to whole pages, at most the capacity
     */
    static Ring over(PipeSink sink, long chunkWanted, boolean hugePages) throws IOException {
        int capacity = sink.capacity();
        long page = Pipes.provider().pageSize();
        int chunk = (int) Math.max(page, Math.min(chunkWanted, capacity) & -page);
        long size = ((long) capacity + chunk + chunk - 1) / chunk * chunk;
        NativeBuffer memory = hugePages ? Pipes.allocateHuge(size) : Pipes.allocate(size);
        return new Ring(capacity, chunk, memory);
    }

    long size() {
        return memory.size();
    }

    boolean hugePages() {
        return memory.hugePages();
    }

    /** The view of the whole ring; region {@code r} starts at {@link #offset(int)}. */
    ByteBuffer view() {
        return view;
    }

    /** Takes the next region to fill. */
    int take() {
        int r = next;
        next = (next + 1) % slices.length;
        return r;
    }

    int offset(int region) {
        return region * chunk;
    }

    /** Splices the first {@code n} bytes of a filled region into the sink, all of them. */
    void send(PipeSink sink, int region, int n) throws IOException {
        holder[0] = n == chunk ? slices[region] : slices[region].slice(0, n);
        sink.vmspliceFully(one);
    }

    @Override
    public void close() {
        memory.close();
    }
}
