package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Page-aligned native memory from {@code mmap(2)}, the safe home for bytes handed to {@code
 * vmsplice}.
 *
 * <h2>Lifetime</h2>
 * The buffer owns its mapping. After {@link #close()}, on every provider:
 * <ul>
 *   <li>bytes already handed to a pipe keep their content: the pipe holds its own page references;</li>
 *   <li>{@link #address()}, {@link #slice}, slices made before and every jsplice call given a view
 *       made before (a {@code read}, {@link Pipes#ioVec}) throw {@link IllegalStateException}, so a
 *       stale slice or view can neither send another buffer's bytes nor take bytes out of a pipe
 *       into memory nobody sees;</li>
 *   <li>a view kept by mistake never crashes the JVM and never reaches another buffer's bytes.</li>
 * </ul>
 * How a provider keeps that last promise differs, and {@link #close()} says how.
 * A buffer dropped without {@code close()} is unmapped once it and its views are unreachable.
 * Reusing the memory while its bytes sit in a pipe is the caller's risk: see the memory-lifetime
 * rule in {@link PipeSink} and {@link PipeWriter}, which applies it for you.
 *
 * <h2>Memory dropped without close</h2>
 * The collector runs for the heap, where a buffer or a {@link PipeWriter} takes a few kilobytes at
 * most, while it may hold megabytes of pages: left to itself, a loop that drops writers would pile up
 * gigabytes before a collection found them. So jsplice counts, as the JDK does for its direct
 * buffers, the memory that its buffers and writers may have resident: a buffer its whole size, a
 * writer the pages it touched (one 2 MiB huge page once a {@code FRESH_PAGES} writer has written,
 * until it renews them; the whole ring of the other modes, which they fault in when built). When
 * allocating a buffer or building a writer would take the count past the limit over what is in use,
 * jsplice first asks for a collection ({@code System.gc()}) and waits, half a second at most, while
 * the cleaner gives back the memory of what is unreachable. Memory in use is never refused: past
 * the wait the allocation goes on (jsplice logs this once), and the next wait comes only once
 * another limit's worth is held over that; as memory is closed the bound comes down with it, so
 * a program that closes all it maps pays a collection each time it climbs past the limit again
 * (one per 256 MiB buffer allocated and closed in turn, say). The limit is the system property {@code org.jsplice.maxNativeMemory}: bytes, or a number
 * with {@code k}, {@code m} or {@code g}; 128 MiB by default. Under {@code -XX:+DisableExplicitGC}
 * no collection is run for it (the wait ends after 63 ms), and the bound holds only as often as
 * the collector runs of itself.
 *
 * <p>{@code address()}, {@code size()}, {@code slice} and {@code renew} are thread-safe; the bytes
 * themselves are the caller's to coordinate; {@code close()} is idempotent.
 */
public interface NativeBuffer extends AutoCloseable {

    /**
     * The address of the first byte, a multiple of the page size.
     *
     * @return the address
     */
    long address();

    /**
     * The usable size in bytes, as asked for when allocated.
     *
     * @return the size
     */
    long size();

    /**
     * Whether the kernel accepted {@code madvise(MADV_HUGEPAGE)} for this buffer.
     *
     * @return true if it did
     */
    boolean hugePages();

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return true until closed
     */
    boolean isOpen();

    /**
     * A direct, native-order view of the whole buffer.
     *
     * @return the view
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

    /**
     * A direct, native-order view of {@code length} bytes starting at {@code offset}.
     *
     * @param offset where the view starts
     * @param length its length
     * @return the view
     */
    ByteBuffer asByteBuffer(long offset, int length);

    /**
     * The segment of {@code length} bytes starting at {@code offset}. Its {@link IoVec#address()}
     * throws {@link IllegalStateException} once the buffer is closed.
     *
     * @param offset where the segment starts
     * @param length its length
     * @return the segment
     * @throws IndexOutOfBoundsException unless {@code 0 <= offset <= offset + length <= size()}
     * @throws IllegalStateException if the buffer is closed
     */
    default IoVec slice(long offset, long length) {
        org.jsplice.internal.Ranges.check("slice", offset, length, size());
        return IoVec.of(address() + offset, length);
    }

    /**
     * Gives the pages of a range back and maps fresh zero pages in their place ({@code
     * madvise(MADV_DONTNEED)}), without unmapping anything. Bytes already handed to a pipe keep
     * their content (the pipe holds its own references to the old pages), so the range may be
     * written again at once, whatever the pipe's consumer does with the old bytes. The next touch
     * of each page faults in a new zeroed page.
     *
     * @param offset where the range starts, a multiple of the page size
     * @param length its length, a multiple of the page size
     * @throws IOException if {@code madvise(2)} fails
     * @throws IllegalArgumentException unless {@code offset} and {@code length} are multiples of the
     *     page size
     * @throws IndexOutOfBoundsException unless the range lies within the buffer's pages
     * @throws IllegalStateException if the buffer is closed
     */
    void renew(long offset, long length) throws IOException;

    /**
     * Gives the pages back and marks the buffer closed; does nothing the second time. What a view
     * made before then does when Java code touches it depends on the provider:
     * <ul>
     *   <li>JNA ({@code sdk-jna}): zero pages take the old ones' place ({@code madvise(MADV_DONTNEED)})
     *       and the address range stays reserved until the buffer, its views and its slices are
     *       unreachable, then it is unmapped; a stale view reads zeros and writes into pages nobody
     *       sees.</li>
     *   <li>FFM ({@code sdk-ffm}): the buffer is a segment of a shared arena, unmapped at once; a
     *       stale view throws {@link IllegalStateException} when touched. While another thread's
     *       channel I/O is using one of its views, the JDK refuses the close, and this method throws
     *       {@link IllegalStateException} with the buffer left open.</li>
     * </ul>
     *
     * @throws IllegalStateException (FFM provider) if another thread's I/O is using a view: the
     *     buffer stays open; close it again once that I/O has returned
     */
    @Override
    void close();
}
