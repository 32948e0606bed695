package org.jsplice;

/** Options for {@link Pipes#open(PipeOption...)}. Every pipe is opened with {@code O_CLOEXEC}. */
public enum PipeOption {
    /**
     * {@code O_NONBLOCK} on both ends: {@code read} on an empty pipe returns 0 instead of waiting.
     * {@code vmsplice} waits or not by {@link SpliceFlag#NONBLOCK} alone.
     */
    NONBLOCKING,
    /**
     * {@code O_DIRECT}: packet mode. Each write is a packet, and each read takes at most one packet
     * (writes larger than a page are split into page-sized packets).
     */
    DIRECT
}
