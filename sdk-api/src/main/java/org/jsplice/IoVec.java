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

    /**
     * The end of the largest user address space on 64-bit Linux (2^56 bytes: x86-64 with 5-level
     * paging; 4-level paging and arm64 stop lower). No segment of user memory ends beyond it, so a
     * segment that would is a wrong length, refused before the kernel reads whatever lies there.
     */
    long MAX_USER_ADDRESS = 1L << 56;

    /**
     * The most segments one call takes on Linux ({@code UIO_MAXIOV}, which {@code sysconf(_SC_IOV_MAX)}
     * reports): 1024 on every architecture. {@link org.jsplice.spi.PipeProvider#iovMax()} asks the
     * system.
     */
    int IOV_MAX = 1024;

    /**
     * The address of the first byte.
     *
     * @return the address
     */
    long address();

    /**
     * The number of bytes, never negative.
     *
     * @return the length
     */
    long length();

    /**
     * A segment over {@code length} bytes at {@code address}.
     *
     * @param address the address of the first byte
     * @param length the number of bytes
     * @return the segment
     * @throws IllegalArgumentException if {@code length} is negative, if {@code address} is 0 for a
     *     non-empty segment, or if the segment ends beyond {@link #MAX_USER_ADDRESS}
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
        if (Long.compareUnsigned(address, MAX_USER_ADDRESS) > 0 || length > MAX_USER_ADDRESS - address) {
            throw new IllegalArgumentException("IoVec ends beyond any user address space: address=0x"
                    + Long.toHexString(address) + " length=" + length + " limit=0x" + Long.toHexString(MAX_USER_ADDRESS));
        }
        return new Segment(address, length);
    }

    /**
     * The {@code length} bytes of this segment that start {@code offset} bytes into it.
     *
     * @param offset where the slice starts, from this segment's start
     * @param length its length
     * @return the slice
     * @throws IndexOutOfBoundsException unless {@code 0 <= offset <= offset + length <= length()}
     */
    default IoVec slice(long offset, long length) {
        org.jsplice.internal.Ranges.check("slice", offset, length, length());
        return of(address() + offset, length);
    }

    /**
     * The segments after their first {@code bytes} bytes: what a loop still has to send after a
     * call moved {@code bytes}. The first segment left is sliced where the bytes ended; empty
     * segments are left out.
     *
     * @param segments the segments, in order
     * @param bytes how many bytes from their start to leave out, at least 0
     * @return a new list
     * @throws IllegalArgumentException if {@code bytes} is negative or more than the segments hold
     */
    static java.util.List<IoVec> drop(java.util.List<? extends IoVec> segments, long bytes) {
        if (bytes < 0) {
            throw dropOutOfRange(segments, bytes);
        }
        java.util.List<IoVec> out = new java.util.ArrayList<>(segments.size());
        long skip = bytes;
        for (IoVec v : segments) {
            long n = Math.min(skip, v.length());
            skip -= n;
            if (n < v.length()) {
                out.add(n == 0 ? v : v.slice(n, v.length() - n));
            }
        }
        if (skip > 0) {
            throw dropOutOfRange(segments, bytes);
        }
        return out;
    }

    private static IllegalArgumentException dropOutOfRange(java.util.List<? extends IoVec> segments, long bytes) {
        long total = 0;
        for (IoVec v : segments) {
            total += v.length();
        }
        return new IllegalArgumentException("drop out of range: bytes=" + bytes + " total=" + total);
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
