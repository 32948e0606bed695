package org.jsplice;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * The write end of a pipe, fed with {@code vmsplice(2)}: pages of the program's own memory go into
 * the pipe by reference, without a copy.
 *
 * <h2>The memory-lifetime rule</h2>
 * {@code vmsplice} puts references to the caller's pages into the pipe. Memory passed to it must
 * therefore stay mapped and unchanged until the consumer has taken the bytes:
 * <ul>
 *   <li>A consumer that <em>copies</em> ({@code read(2)}, {@code splice(2)} to a file or {@code
 *       /dev/null}) is done with a byte once it has left the pipe: {@link #queued()} tells how many
 *       bytes are still in it. The other end may grow the pipe at any time, so the capacity seen
 *       now bounds nothing.</li>
 *   <li>A consumer that <em>splices or tees the pages onward</em> (to another pipe, a socket) still
 *       holds them after they leave this pipe, for as long as its own consumer takes. Then the
 *       memory must never be written again: fresh pages (unmapping, or {@link
 *       NativeBuffer#renew}, is safe: the pipe holds its own references).</li>
 *   <li>{@link PipeWriter} applies the rule for you.</li>
 *   <li>{@link SpliceFlag#GIFT} means "never modify this memory again".</li>
 * </ul>
 *
 * <p>This is deliberately not a {@link java.nio.channels.WritableByteChannel}: code written for
 * channels reuses its buffer as soon as {@code write} returns, which {@code vmsplice} makes unsafe.
 *
 * <h2>Descriptor and threads</h2>
 * A sink owns its descriptor unless it was made for a standard stream ({@link Pipes#stdout()}), and
 * closes it in {@link #close()}. Sinks are thread-safe: calls from several threads are serialised,
 * so the bytes of one {@link #vmspliceFully} call are never interleaved with another's. {@code
 * close()} may be called from any thread at any time: it returns at once, ends every call waiting
 * on this end ({@link PipeAsynchronousCloseException}), later calls throw {@link
 * ClosedChannelException}, and the descriptor itself is closed when the last call already under way
 * returns, so no system call is ever made on a descriptor number that may by then name another file.
 * An interrupt ends the interrupted thread's call, closes the sink and throws {@link
 * PipeClosedByInterruptException}, as the JDK's interruptible channels do. Every failure after
 * bytes moved says how many ({@link PartialTransfer}).
 */
public interface PipeSink extends Channel {

    /**
     * One transfer of the whole list: waits (in {@code poll(2)}, unless {@link SpliceFlag#NONBLOCK})
     * until the pipe has room, then moves the segments, in order, with one {@code vmsplice(2)}.
     * {@link #close()} from another thread or an interrupt ends the wait (see {@link
     * PipeAsynchronousCloseException}, {@link PipeClosedByInterruptException}).
     *
     * <p>Fewer bytes than asked may move: a pipe has a fixed number of slots, one per page fragment
     * (16 by default), so 17 one-byte segments move 16 bytes into an empty default pipe. The bytes
     * moved are always a prefix of the concatenated segments.
     *
     * @param segments at most {@link org.jsplice.spi.PipeProvider#iovMax()} segments; an empty list
     *     returns 0 without a system call
     * @param flags with {@link SpliceFlag#GIFT}, every segment's address and length must be
     *     page-aligned
     * @return the bytes moved; 0 when nothing moved because the pipe is full and {@link
     *     SpliceFlag#NONBLOCK} was given, or because a signal interrupted the call first
     * @throws ClosedChannelException if this sink is closed
     * @throws PipeException {@code EINVAL} for more than {@code IOV_MAX} segments or misaligned
     *     {@code GIFT} memory (refused before the call, nothing moved); {@code EPIPE} when no reader
     *     is left; {@code EBADF} when the descriptor is not the write end of a pipe; {@code EFAULT}
     *     for memory that is not mapped; {@code ENOMEM}
     * @throws IllegalArgumentException if a segment reports a negative length
     */
    long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException;

    /**
     * Moves every byte of the segments into the pipe, with as many {@code vmsplice(2)} calls as it
     * takes: resumes a partial transfer in the middle of a segment, splits lists longer than {@code
     * IOV_MAX} into batches, retries after {@code EINTR}, and with {@link SpliceFlag#NONBLOCK} waits
     * in {@code poll(2)} for room instead of spinning.
     *
     * @param segments the memory to move, in order; any number of segments
     * @param flags as for {@link #vmsplice(List, SpliceFlag...)}
     * @return the total length of the segments
     * @throws ClosedChannelException if this sink is closed, before or during the transfer
     * @throws PipeException as {@link #vmsplice}; bytes moved before the failure stay in the pipe,
     *     and {@link PipeException#bytesTransferred()} says how many
     */
    long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException;

    /**
     * Copies every byte of the segments into the pipe with {@code writev(2)}, as many calls as it
     * takes: the memory is free for reuse as soon as this returns, whatever the consumer does. The
     * copying path of {@link PipeWriter}'s safe policy where fresh pages cost more than a copy.
     *
     * @param segments the memory to copy, in order; any number of segments
     * @return the total length of the segments
     * @throws ClosedChannelException if this sink is closed, before or during the transfer
     * @throws PipeException {@code EPIPE} when no reader is left; {@code EFAULT} for memory that is
     *     not mapped; bytes moved before the failure stay in the pipe
     */
    long writeFully(List<? extends IoVec> segments) throws IOException;

    /**
     * {@link #vmsplice(List, SpliceFlag...)} without flags. This overload exists so that a call
     * without flags allocates no empty varargs array: steady streams of calls allocate nothing.
     *
     * @param segments as there
     * @return as there
     * @throws IOException as there
     */
    default long vmsplice(List<? extends IoVec> segments) throws IOException {
        return vmsplice(segments, SpliceFlag.NONE);
    }

    /**
     * {@link #vmspliceFully(List, SpliceFlag...)} without flags, allocating no varargs array.
     *
     * @param segments as there
     * @return as there
     * @throws IOException as there
     */
    default long vmspliceFully(List<? extends IoVec> segments) throws IOException {
        return vmspliceFully(segments, SpliceFlag.NONE);
    }

    /**
     * One {@code splice(2)} from {@code file} at {@code offset} into this pipe, after waiting for
     * room (unless {@link SpliceFlag#NONBLOCK}), as {@code pread} would read: the file's own
     * position does not move. For a regular file the pipe then holds references to the file's
     * pages in the page cache, not copies, as {@code sendfile(2)} does: should the file be
     * rewritten while its bytes are in the pipe, the consumer may receive the new bytes, and
     * should it be truncated, the pages that were in the pipe keep the bytes they had (the
     * kernel holds them), so the consumer receives bytes the file no longer has.
     *
     * @param file a file this provider opened for reading
     * @param offset where in the file to start, at least 0
     * @param length the most bytes to move
     * @param flags {@link SpliceFlag#NONBLOCK} not to wait for room; {@link SpliceFlag#MOVE} and
     *     {@link SpliceFlag#MORE} are passed to the kernel
     * @return the bytes moved; -1 at the end of the file; 0 when nothing moved because {@link
     *     SpliceFlag#NONBLOCK} was given and the pipe is full
     * @throws IllegalArgumentException if {@code file} is not from this sink's provider, or
     *     {@code offset} or {@code length} is negative
     * @throws ClosedChannelException if this sink or the file is closed
     * @throws PipeException as {@code splice(2)} reports it: {@code EINVAL} for a file whose file
     *     system cannot splice (many {@code /proc} files), {@code EBADF} for a file not open for
     *     reading, {@code EPIPE} when no reader is left
     * @throws UnsupportedOperationException if this sink's provider cannot splice into a pipe
     */
    default long spliceFrom(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
        throw new UnsupportedOperationException("this sink cannot splice into its pipe: " + this);
    }

    /**
     * One {@code splice(2)} from any descriptor (a socket, a device, another pipe's read end, a file
     * at its current position) into this pipe, after waiting for bytes there and room here (unless
     * {@link SpliceFlag#NONBLOCK}). The descriptor stays the caller's; it must stay open during the
     * call.
     *
     * @param fd a descriptor open for reading
     * @param length the most bytes to move
     * @param flags as for {@link #spliceFrom(NativeFile, long, long, SpliceFlag...)}
     * @return the bytes moved; -1 at the end of the input; 0 when nothing moved because {@link
     *     SpliceFlag#NONBLOCK} was given and there was nothing to read or no room
     * @throws PipeException as {@link #spliceFrom(NativeFile, long, long, SpliceFlag...)}
     * @throws UnsupportedOperationException if this sink's provider cannot splice into a pipe
     */
    default long spliceFrom(int fd, long length, SpliceFlag... flags) throws IOException {
        throw new UnsupportedOperationException("this sink cannot splice into its pipe: " + this);
    }

    /**
     * Moves {@code count} bytes of {@code file} from {@code offset} on into this pipe, or fewer when
     * the file ends first, with as many {@link #spliceFrom(NativeFile, long, long, SpliceFlag...)}
     * calls as it takes, waiting for room between them: {@code FileChannel.transferTo}, into a
     * jsplice pipe. The file's own position does not move; what the consumer receives is page-cache
     * references, as there.
     *
     * @param file a file this provider opened for reading
     * @param offset where in the file to start, at least 0
     * @param count the most bytes to move
     * @return the bytes moved: {@code count}, or fewer when the file ended
     * @throws PipeException as {@link #spliceFrom(NativeFile, long, long, SpliceFlag...)}, saying
     *     how many bytes of the whole transfer reached the pipe
     * @throws PipeAsynchronousCloseException if this sink was closed meanwhile, with the same count
     * @throws PipeClosedByInterruptException if the thread was interrupted, with the same count
     * @throws UnsupportedOperationException if this sink's provider cannot splice into a pipe
     */
    default long transferFrom(NativeFile file, long offset, long count) throws IOException {
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must not be negative: offset=" + offset + " count=" + count);
        }
        long moved = 0;
        try {
            while (moved < count) {
                long r = spliceFrom(file, offset + moved, count - moved, SpliceFlag.NONE);
                if (r < 0) {
                    break;
                }
                moved += r;
            }
            return moved;
        } catch (PipeException | PipeClosedByInterruptException | PipeAsynchronousCloseException e) {
            throw Transfers.after(e, moved);
        }
    }

    /**
     * {@return the pipe's capacity in bytes} ({@code fcntl(F_GETPIPE_SZ)})
     *
     * @throws IOException if the call fails, or this sink is closed
     */
    int capacity() throws IOException;

    /**
     * Asks for a capacity of at least {@code bytes} ({@code fcntl(F_SETPIPE_SZ)}).
     *
     * @param bytes the capacity wanted, at least 1
     * @return the capacity the kernel chose: a power-of-two number of pages, at least {@code bytes}
     * @throws PipeException {@code EPERM} without {@code CAP_SYS_RESOURCE} above {@code
     *     /proc/sys/fs/pipe-max-size}, or once this user's pipes would hold more than {@code
     *     pipe-user-pages-soft} (or {@code -hard}) pages, the message naming the limit and its value;
     *     {@code EBUSY} below the bytes already in the pipe
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    int capacity(int bytes) throws IOException;

    /**
     * {@return the bytes in the pipe that no reader has taken yet} ({@code ioctl(FIONREAD)})
     *
     * @throws IOException if the call fails, or this sink is closed
     */
    int queued() throws IOException;

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
