package org.jsplice;

/**
 * One segment of memory, the Java form of {@code struct iovec}: a native address and a length in
 * bytes.
 *
 * <p>An {@code IoVec} does not own the memory it names. Whoever created the memory (a {@link
 * NativeBuffer}, a direct {@link java.nio.ByteBuffer}, foreign code) keeps it mapped and, for
 * {@code vmsplice}, unchanged until the pipe's consumer has taken the bytes: see the memory-lifetime
 * rule in {@link PipeSink}.
 *
 * <p>Implementations must be immutable and so thread-safe. {@link #of(long, long)} gives the
 * standard value type; a {@link NativeBuffer} hands out checked slices with {@link
 * NativeBuffer#slice(long, long)}; a direct {@code ByteBuffer} becomes one through {@link
 * Pipes#ioVec(java.nio.ByteBuffer)}.
 */
public interface IoVec {

    /** The address of the first byte. */
    long address();

    /** The number of bytes, never negative. */
    long length();

    /**
     * A segment over {@code length} bytes at {@code address}.
     *
     * @throws IllegalArgumentException if {@code length} is negative, or if {@code address} is 0 for
     *     a non-empty segment
     */
    static IoVec of(long address, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("IoVec length must not be negative: address=0x"
                    + Long.toHexString(address) + " length=" + length);
        }
        if (address == 0 && length != 0) {
            throw new IllegalArgumentException("IoVec address must not be null for a non-empty segment: address=0x0 length="
                    + length);
        }
        if (Long.compareUnsigned(address + length, address) < 0) {
            throw new IllegalArgumentException("IoVec wraps around the address space: address=0x"
                    + Long.toHexString(address) + " length=" + length);
        }
        return new Segment(address, length);
    }

    /**
     * The {@code length} bytes of this segment that start {@code offset} bytes into it.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= offset <= offset + length <= length()}
     */
    default IoVec slice(long offset, long length) {
        Bounds.checkSlice(offset, length, length());
        return of(address() + offset, length);
    }

    /** The value type behind {@link IoVec#of(long, long)}. */
    final class Segment implements IoVec {
        private final long address;
        private final long length;

        private Segment(long address, long length) {
            this.address = address;
            this.length = length;
        }

        @Override
        public long address() {
            return address;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment && ((Segment) o).address == address && ((Segment) o).length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + Long.hashCode(length);
        }

        @Override
        public String toString() {
            return "IoVec[address=0x" + Long.toHexString(address) + ", length=" + length + "]";
        }
    }
}
