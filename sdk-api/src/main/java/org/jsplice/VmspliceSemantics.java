package org.jsplice;

/**
 * What this kernel's {@code vmsplice(2)} does with the pages of a write end, as {@link
 * Pipes#vmspliceSemantics()} measures it once per process: the regime jsplice runs in.
 *
 * <p>Linux 6.x puts references to the caller's pages into the pipe. A series that reached
 * linux-next in June 2026 turns the call into a copy and refuses {@code SPLICE_F_GIFT} and {@code
 * SPLICE_F_NONBLOCK} with {@code EOPNOTSUPP}; a seccomp filter may refuse the call altogether
 * ({@code EPERM}, {@code ENOSYS}). Which one runs decides whether memory may be written again as
 * soon as the call returns, and which system call moves the bytes.
 */
public enum VmspliceSemantics {
    /**
     * The pipe refers to the caller's pages: bytes written into the memory after the call still
     * change what the consumer receives, until every consumer is done with the pages.
     */
    REFERENCES_PAGES,
    /**
     * {@code vmsplice} runs and copies the bytes into the pipe: the memory may be written again as
     * soon as the call returns.
     */
    COPIES,
    /**
     * {@code vmsplice} is refused ({@code EOPNOTSUPP}, {@code EPERM} or {@code ENOSYS}: a seccomp
     * filter, or a kernel whose {@code vmsplice} copies and refuses the non-blocking call jsplice
     * makes), so jsplice copies the bytes with {@code pwritev2(2)}/{@code writev(2)} instead ({@link
     * org.jsplice.spi.PipeProvider#isZeroCopy()} is false): the memory may be written again as soon
     * as the call returns, and {@link PipeWriter}'s default runs {@link PipeWriter.Mode#COPY}.
     */
    REFUSED
}
