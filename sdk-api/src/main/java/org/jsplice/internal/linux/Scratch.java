package org.jsplice.internal.linux;

import java.nio.ByteBuffer;
import org.jsplice.spi.SystemCalls;

/**
 * One end's native scratch memory: the structs its system calls take, at fixed places, so that a
 * steady stream of calls allocates nothing. Not thread-safe: the end uses it under its transfer
 * lock, and the close action frees it once no call is under way.
 *
 * <pre>
 * offset            C type                  used by
 * 0                 struct iovec[IOV_MAX]   vmsplice, preadv2, pwritev2; also a bounce buffer
 *                                           (from iovec[1] on) and statx's struct statx
 * T = 16 * IOV_MAX  struct pollfd[3]        poll; or one struct epoll_event for the poller
 * T + 24            loff_t                  splice's file offset
 * T + 32            int                     ioctl(FIONREAD)
 * T + 40            uint64_t                the eventfd counter close() writes
 * </pre>
 */
final class Scratch {
    static final int IOVEC_SIZE = 16;
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFDS = 3;
    private static final int OFFSET = POLLFDS * POLLFD_SIZE;
    private static final int FIONREAD = OFFSET + 8;
    private static final int COUNTER = FIONREAD + 8;
    private static final int TAIL = COUNTER + 8;

    /** The memory, which the end's close action frees. */
    final ByteBuffer memory;
    private final long address;
    /** Where the pollfds start: the byte after the iovec array. */
    private final int tail;

    Scratch(SystemCalls raw, int iovMax) {
        this.tail = iovMax * IOVEC_SIZE;
        this.memory = raw.allocate(tail + TAIL);
        this.address = raw.address(memory);
    }

    /** The iovec array's address. */
    long iovecs() {
        return address;
    }

    void iovec(int i, long base, long length) {
        memory.putLong(i * IOVEC_SIZE, base);
        memory.putLong(i * IOVEC_SIZE + 8, length);
    }

    long iovLength(int i) {
        return memory.getLong(i * IOVEC_SIZE + 8);
    }

    void iovLength(int i, long length) {
        memory.putLong(i * IOVEC_SIZE + 8, length);
    }

    /** The pollfd array's address. */
    long pollfds() {
        return address + tail;
    }

    void pollfd(int i, int fd, short events) {
        memory.putInt(tail + i * POLLFD_SIZE, fd);
        memory.putShort(tail + i * POLLFD_SIZE + 4, events);
        memory.putShort(tail + i * POLLFD_SIZE + 6, (short) 0);
    }

    short revents(int i) {
        return memory.getShort(tail + i * POLLFD_SIZE + 6);
    }

    /** Where the poller's {@code struct epoll_event} goes: the pollfd memory, which its waits do not use. */
    int epollEvent() {
        return tail;
    }

    /** Writes a file offset into the {@code loff_t}; returns its address. */
    long offset(long value) {
        memory.putLong(tail + OFFSET, value);
        return address + tail + OFFSET;
    }

    /** The address of FIONREAD's int. */
    long fionread() {
        return address + tail + FIONREAD;
    }

    int fionreadValue() {
        return memory.getInt(tail + FIONREAD);
    }

    /** Where in {@link #memory} the eventfd's counter is written. */
    int counter() {
        return tail + COUNTER;
    }

    /** The address of a {@code struct statx} (in the iovec array). */
    long statx() {
        return address;
    }

    /** {@code stx_mode} of the {@code struct statx} at {@link #statx()}. */
    int statxMode() {
        return memory.getShort(Linux.STATX_MODE_OFFSET) & 0xFFFF;
    }

    /** Memory behind the first iovec for a bounce copy: the rest of the array. */
    int bounceCapacity() {
        return tail - IOVEC_SIZE;
    }

    long bounceAddress() {
        return address + IOVEC_SIZE;
    }

    ByteBuffer bounceView(int length) {
        return memory.duplicate().position(IOVEC_SIZE).limit(IOVEC_SIZE + length).slice();
    }
}
