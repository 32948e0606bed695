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
 * at once for new calls, and for the descriptor when the last call under way returns.
 */
public interface PipeSource extends Channel {

    /**
     * Reads up to {@code dst.remaining()} bytes ({@code read(2)}) into {@code dst} at its position,
     * and advances the position.
     *
     * @return the bytes read; -1 at end of stream (every write end closed and the pipe empty); 0
     *     when {@code dst} has no room, or the pipe is empty and non-blocking
     * @throws ClosedChannelException if this source is closed
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Exactly one {@code vmsplice(2)} in the read direction: copies bytes out of the pipe into the
     * segments, in order.
     *
     * @return the bytes copied; 0 at end of stream, or when the pipe is empty and {@link
     *     SpliceFlag#NONBLOCK} was given
     * @throws PipeException as {@link PipeSink#vmsplice}
     */
    long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException;

    /** The bytes in the pipe that no reader has taken yet ({@code ioctl(FIONREAD)}). */
    int queued() throws IOException;

    /** The pipe's capacity in bytes ({@code fcntl(F_GETPIPE_SZ)}). */
    int capacity() throws IOException;
}
