package org.jsplice.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.jsplice.NativeBuffer;
import org.jsplice.internal.linux.MappedBuffer;
import org.jsplice.spi.SystemCalls;

/**
 * The FFM provider's view lifetime over {@link MappedBuffer}: the range is a {@link MemorySegment}
 * of a shared {@link Arena}, and every view is a view of that segment. {@link #close()} closes the
 * arena, which unmaps the memory, and every view made before then throws {@link
 * IllegalStateException} when touched instead of reaching unmapped (or reused) memory; slices
 * throw through the buffer. Unmapping is safe for pages a pipe still holds: the pipe keeps its own
 * references.
 *
 * <p>While another thread's channel I/O uses one of its views (a {@code FileChannel.read} into it,
 * say), the JDK refuses to close the arena: {@code close()} then throws {@link
 * IllegalStateException}, the buffer stays open and mapped, and a later {@code close()} does it.
 * A buffer dropped without {@code close()} is unmapped once it and its views are unreachable.
 * Thread-safe as {@link NativeBuffer} states.
 */
final class FfmNativeBuffer extends MappedBuffer {
    private final Arena arena;
    private final MemorySegment segment;

    FfmNativeBuffer(SystemCalls raw, Range range) {
        this(raw, range, Arena.ofShared());
    }

    private FfmNativeBuffer(SystemCalls raw, Range range, Arena arena) {
        super(raw, range, () -> {
            if (arena.scope().isAlive()) {
                try {
                    arena.close();
                } catch (IllegalStateException closedMeanwhile) {
                    // close() won the race
                }
            }
        });
        this.arena = arena;
        this.segment = MemorySegment.ofAddress(range.address)
                .reinterpret(range.length, arena, s -> raw.munmap(range.address, range.length));
    }

    /** A view of the segment: it holds the mapping until it is unreachable, and throws once the arena is closed. */
    @Override
    protected ByteBuffer newView(long offset, int length) {
        return segment.asSlice(offset, length).asByteBuffer();
    }

    @Override
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /**
     * Closes the arena: the memory is unmapped and every view throws from now on.
     *
     * @throws IllegalStateException if another thread's I/O is using a view right now: the buffer
     *     then stays open and mapped, and may be closed again once that I/O has returned
     */
    @Override
    protected void closeMapping() {
        if (!arena.scope().isAlive()) {
            return; // idempotent
        }
        try {
            arena.close();
        } catch (IllegalStateException e) {
            if (arena.scope().isAlive()) {
                throw new IllegalStateException("NativeBuffer is in use by I/O on another thread (a channel reading or "
                        + "writing one of its views), so it stays open and mapped; close it again once that I/O has "
                        + "returned: address=0x" + Long.toHexString(segment.address()) + " size=" + size(), e);
            }
            // closed meanwhile by another close(): idempotent
        }
    }
}
