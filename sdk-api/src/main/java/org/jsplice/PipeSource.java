package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * The read end of a pipe.
 *
 * <p>A source owns its descriptor unless it was made for a standard stream ({@link Pipes#stdin()})
 * and closes it in {@link #close()}. Sources are thread-safe, and close as {@link PipeSink} does:
 * at once for new calls, ending every call that waits on this end ({@link
 * PipeAsynchronousCloseException}), and for the descriptor when the last call under way returns.
 * An interrupt ends the interrupted thread's call, closes the source and throws {@link
 * PipeClosedByInterruptException}. Every failure after bytes moved says how many ({@link
 * PartialTransfer}).
 */
public interface PipeSource extends Channel {

    /**
     * Reads up to {@code dst.remaining()} bytes ({@code read(2)}) into {@code dst} at its position,
     * and advances the position.
     *
     * @param dst a heap or direct buffer
     * @return the bytes read; -1 at end of stream (every write end closed and the pipe empty); 0
     *     when {@code dst} has no room, or the pipe is empty and non-blocking
     * @throws ClosedChannelException if this source is closed
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * One {@code vmsplice(2)} in the read direction, after waiting (in {@code poll(2)}, unless {@link
     * SpliceFlag#NONBLOCK}) for bytes: copies bytes out of the pipe into the
     * segments, in order.
     *
     * @param into at most {@code IOV_MAX} segments of writable memory, filled in order
     * @param flags {@link SpliceFlag#NONBLOCK} not to wait; the others are passed to the kernel
     * @return the bytes copied; 0 at end of stream, or when the pipe is empty and {@link
     *     SpliceFlag#NONBLOCK} was given
     * @throws PipeException as {@link PipeSink#vmsplice}
     */
    long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException;

    /**
     * One {@code splice(2)}, after waiting for bytes here and room there (unless {@link
     * SpliceFlag#NONBLOCK}): moves up to {@code length} bytes from this pipe into another
     * pipe, without copying them through user memory.
     *
     * @param target the write end of another pipe of this provider (or a decorator of one)
     * @param length the most bytes to move
     * @param flags {@link SpliceFlag#NONBLOCK} not to wait; {@link SpliceFlag#MOVE} and {@link
     *     SpliceFlag#MORE} are passed to the kernel
     * @return the bytes moved; -1 at end of stream (no writer left and the pipe empty); 0 when
     *     nothing moved because {@link SpliceFlag#NONBLOCK} was given and this pipe is empty or the
     *     target full, or a signal interrupted the call
     * @throws IllegalArgumentException if {@code target} is not from this source's provider, or
     *     {@code length} is negative
     * @throws ClosedChannelException if this source or the target is closed
     * @throws PipeException as {@code splice(2)} reports it, naming the call
     */
    long splice(PipeSink target, long length, SpliceFlag... flags) throws IOException;

    /**
     * One {@code splice(2)} into any descriptor (a socket, a file at its current position,
     * another pipe's write end). The descriptor stays the caller's; it must stay open during the call.
     *
     * @param fd a descriptor open for writing
     * @param length the most bytes to move
     * @param flags as for {@link #splice(PipeSink, long, SpliceFlag...)}
     * @return as {@link #splice(PipeSink, long, SpliceFlag...)}
     * @throws PipeException {@code EINVAL} when the target cannot take a splice (opened with
     *     {@code O_APPEND}, or neither end is a pipe); {@code EBADF} for a descriptor not open for
     *     writing
     */
    long splice(int fd, long length, SpliceFlag... flags) throws IOException;

    /**
     * One {@code splice(2)} into {@code file} at {@code offset}, as {@code pwrite} would: the
     * file's own position does not move.
     *
     * @param file a file this provider opened for writing, without {@code APPEND}
     * @param offset where in the file the bytes go, at least 0
     * @param length the most bytes to move
     * @param flags as for {@link #splice(PipeSink, long, SpliceFlag...)}
     * @return as {@link #splice(PipeSink, long, SpliceFlag...)}
     * @throws PipeException {@code ESPIPE} when the file is not seekable (a pipe or socket behind a
     *     path), {@code EINVAL} when it was opened with {@code APPEND}
     */
    long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException;

    /**
     * One {@code tee(2)}, after waiting as {@code splice} does: duplicates up to {@code length} bytes of this pipe into {@code
     * target} without consuming them here.
     *
     * @param target the write end of another pipe of this provider (or a decorator of one)
     * @param length the most bytes to duplicate
     * @param flags as for {@link #splice(PipeSink, long, SpliceFlag...)}
     * @return the bytes duplicated; -1 when this pipe is empty and has no writer left; 0 as for
     *     {@link #splice(PipeSink, long, SpliceFlag...)}
     * @throws PipeException {@code EINVAL} when the target is this very pipe
     */
    long tee(PipeSink target, long length, SpliceFlag... flags) throws IOException;

    /**
     * {@link #splice(PipeSink, long, SpliceFlag...)} without flags, allocating no varargs array.
     *
     * @param target as there
     * @param length as there
     * @return as there
     * @throws IOException as there
     */
    default long splice(PipeSink target, long length) throws IOException {
        return splice(target, length, SpliceFlag.NONE);
    }

    /**
     * {@link #splice(int, long, SpliceFlag...)} without flags, allocating no varargs array.
     *
     * @param fd as there
     * @param length as there
     * @return as there
     * @throws IOException as there
     */
    default long splice(int fd, long length) throws IOException {
        return splice(fd, length, SpliceFlag.NONE);
    }

    /**
     * {@link #splice(NativeFile, long, long, SpliceFlag...)} without flags, allocating no varargs array.
     *
     * @param file as there
     * @param offset as there
     * @param length as there
     * @return as there
     * @throws IOException as there
     */
    default long splice(NativeFile file, long offset, long length) throws IOException {
        return splice(file, offset, length, SpliceFlag.NONE);
    }

    /**
     * {@link #tee(PipeSink, long, SpliceFlag...)} without flags, allocating no varargs array.
     *
     * @param target as there
     * @param length as there
     * @return as there
     * @throws IOException as there
     */
    default long tee(PipeSink target, long length) throws IOException {
        return tee(target, length, SpliceFlag.NONE);
    }

    /**
     * {@return the bytes in the pipe that no reader has taken yet} ({@code ioctl(FIONREAD)})
     *
     * @throws IOException if the call fails, or this source is closed
     */
    int queued() throws IOException;

    /**
     * {@return the pipe's capacity in bytes} ({@code fcntl(F_GETPIPE_SZ)})
     *
     * @throws IOException if the call fails, or this source is closed
     */
    int capacity() throws IOException;

    /**
     * The provider whose pipe this end belongs to: {@link PipeWriter} takes its memory there. A
     * decorator answers its delegate's; an end that no provider made (a test's fake) answers the
     * one {@link Pipes#provider()} found.
     *
     * @return the provider
     */
    default org.jsplice.spi.PipeProvider provider() {
        return Pipes.provider();
    }
}
