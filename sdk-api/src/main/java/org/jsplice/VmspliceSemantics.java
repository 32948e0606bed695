package org.jsplice;

/**
 * What this kernel's {@code vmsplice(2)} does with the pages of a write end, as {@link
 * Pipes#vmspliceSemantics()} measures it once per process.
 *
 * <p>Linux 6.x puts references to the caller's pages into the pipe; a 2026 kernel series proposed
 * turning the call into a copy, and a seccomp filter that refuses {@code vmsplice} makes jsplice copy
 * with {@code writev(2)}. Which one runs decides whether memory may be written again as soon as the
 * call returns.
 */
public enum VmspliceSemantics {
    /**
     * The pipe refers to the caller's pages: bytes written into the memory after the call still
     * change what the consumer receives, until every consumer is done with the pages.
     */
    REFERENCES_PAGES,
    /** The bytes are copied into the pipe: the memory may be written again as soon as the call returns. */
    COPIES
}
