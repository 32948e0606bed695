package org.jsplice;

/** Options for {@link Pipes#open(PipeOption...)}. Every pipe is opened with {@code O_CLOEXEC}. */
public enum PipeOption {
    /**
     * {@code O_NONBLOCK} on both ends: {@code read} on an empty pipe returns 0 instead of waiting.
     * {@code vmsplice} waits or not by {@link SpliceFlag#NONBLOCK} alone.
     */
    NONBLOCKING
}
