package org.jsplice.jna;

import static org.jsplice.internal.linux.Linux.MADV_DONTNEED;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import com.sun.jna.Pointer;
import org.jsplice.NativeBuffer;
import org.jsplice.internal.linux.MappedBuffer;
import org.jsplice.spi.SystemCalls;

/**
 * The JNA provider's view lifetime over {@link MappedBuffer}: {@link #close()} zaps the pages
 * ({@code MADV_DONTNEED}) but leaves the range mapped. A {@link ByteBuffer} made by JNI cannot be
 * revoked, and touching an unmapped one crashes the JVM, while an address that is unmapped early
 * can be handed to the next {@code mmap}, so that a stale view or slice would reach another
 * buffer's bytes. The range is unmapped once the buffer and its root view (which every view
 * derives from, and so keeps reachable) are both unreachable; slices refer to the buffer object.
 * Until then the closed range is listed, and the provider refuses a read or write given one of its
 * views ({@link #checkNotClosed}). Thread-safe as {@link NativeBuffer} states.
 */
final class JnaNativeBuffer extends MappedBuffer {
    /**
     * The ranges of closed buffers that views still keep mapped, start to end: a read into such a
     * view would take bytes out of the pipe into memory nobody sees, so the provider refuses it.
     */
    private static final ConcurrentSkipListMap<Long, Long> CLOSED = new ConcurrentSkipListMap<>();

    private final AtomicBoolean open = new AtomicBoolean(true);
    private final long start;

    JnaNativeBuffer(SystemCalls raw, Range range) {
        super(raw, range, () -> {
            CLOSED.remove(range.address); // before the range can be mapped again
            raw.munmap(range.address, range.length);
        });
        this.start = range.address;
    }

    /** A view made by JNA (JNI), which holds the mapping until it is unreachable. */
    @Override
    protected ByteBuffer newView(long offset, int length) {
        return new Pointer(start).getByteBuffer(offset, length);
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /**
     * Zaps the pages and lists the range as closed; it stays mapped until the buffer and its views
     * are unreachable: a stale view reads zeros and writes into pages nobody sees.
     */
    @Override
    protected void closeMapping() {
        if (open.compareAndSet(true, false)) {
            CLOSED.put(start, start + mappedLength());
            raw.madvise(start, mappedLength(), MADV_DONTNEED);
        }
    }

    /**
     * Refuses an address inside a closed buffer that a view still keeps mapped.
     *
     * @throws IllegalStateException if {@code address} is such an address
     */
    static void checkNotClosed(long address) {
        if (CLOSED.isEmpty()) {
            return;
        }
        Map.Entry<Long, Long> e = CLOSED.floorEntry(address);
        if (e != null && address < e.getValue()) {
            throw new IllegalStateException("a view of a closed NativeBuffer: address=0x" + Long.toHexString(address)
                    + " is in the closed buffer at 0x" + Long.toHexString(e.getKey()));
        }
    }
}
