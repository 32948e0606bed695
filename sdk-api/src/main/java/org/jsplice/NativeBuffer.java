package org.jsplice;

import java.nio.ByteBuffer;

/**
 * Page-aligned native memory from {@code mmap(2)}, the safe home for bytes handed to {@code
 * vmsplice}.
 *
 * <p>The buffer owns its mapping and unmaps it in {@link #close()}. Close only once no pipe
 * consumer can still need the bytes that a {@code vmsplice} has not handed over yet; unmapping while
 * the bytes sit in a pipe is safe (the pipe holds its own page references), but reusing the memory is
 * not: see {@link PipeSink}. Views from {@link #asByteBuffer()} must not be touched after {@code
 * close()}: the memory is gone and the JVM would crash. Slices made before {@code close()} then name
 * unmapped memory, which {@code vmsplice} reports as {@code EFAULT}.
 *
 * <p>{@code address()}, {@code size()} and {@code slice} are thread-safe; the bytes themselves are
 * the caller's to coordinate; {@code close()} is idempotent.
 */
public interface NativeBuffer extends AutoCloseable {

    /** The address of the first byte, a multiple of the page size. */
    long address();

    /** The usable size in bytes, as asked for when allocated. */
    long size();

    /** Whether the kernel accepted {@code madvise(MADV_HUGEPAGE)} for this buffer. */
    boolean hugePages();

    /** Whether {@link #close()} has not been called yet. */
    boolean isOpen();

    /**
     * A direct, native-order view of the whole buffer.
     *
     * @throws UnsupportedOperationException if the buffer is larger than {@link Integer#MAX_VALUE}
     *     bytes; use {@link #asByteBuffer(long, int)}
     */
    default ByteBuffer asByteBuffer() {
        if (size() > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("buffer too large for one ByteBuffer: size=" + size()
                    + " max=" + Integer.MAX_VALUE + "; use asByteBuffer(offset, length)");
        }
        return asByteBuffer(0, (int) size());
    }

    /** A direct, native-order view of {@code length} bytes starting at {@code offset}. */
    ByteBuffer asByteBuffer(long offset, int length);

    /**
     * The segment of {@code length} bytes starting at {@code offset}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= offset <= offset + length <= size()}
     * @throws IllegalStateException if the buffer is closed
     */
    default IoVec slice(long offset, long length) {
        Bounds.checkSlice(offset, length, size());
        return IoVec.of(address() + offset, length);
    }

    /** Unmaps the memory ({@code munmap(2)}); does nothing the second time. */
    @Override
    void close();
}
