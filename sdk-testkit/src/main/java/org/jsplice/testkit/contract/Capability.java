package org.jsplice.testkit.contract;

/**
 * Optional behaviour a provider declares in {@link ContractHook#capabilities()}. A property that
 * needs an undeclared capability is skipped with a message naming it; a capability declared
 * unsupported is tested too: using it must fail cleanly and change nothing.
 */
public enum Capability {
    /** {@code PipeSink.capacity(int)} resizes the pipe ({@code F_SETPIPE_SZ}). */
    RESIZE,
    /** {@code PipeSource.vmsplice} copies pipe data into segments (the read direction). */
    READ_DIRECTION,
    /** {@code PipeSource.splice} moves bytes into another pipe or a descriptor ({@code splice(2)}). */
    SPLICE,
    /** {@code PipeSource.tee} duplicates bytes into another pipe ({@code tee(2)}). */
    TEE,
    /** {@code mkfifo}, {@code openFifoSink} and {@code openFifoSource} (named pipes). */
    FIFOS,
    /** {@code openFile}, and {@code PipeSource.splice} into such a file at an offset. */
    FILES
}
