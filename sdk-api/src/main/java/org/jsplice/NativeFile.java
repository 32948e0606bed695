package org.jsplice;

import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;

/**
 * A file that jsplice opened ({@link Pipes#openFile}), as a target for {@link
 * PipeSource#splice(NativeFile, long, long, SpliceFlag...)}. It owns its descriptor and closes it in
 * {@link #close()}. Thread-safe; closes as {@link PipeSink} does: at once for new calls, and for the
 * descriptor when the last call under way returns.
 */
public interface NativeFile extends Channel {

    /**
     * The descriptor number, for calls outside jsplice; valid only while this file is open.
     *
     * @return the number
     * @throws ClosedChannelException if this file is closed
     */
    int fd() throws ClosedChannelException;
}
