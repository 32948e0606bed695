package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.F_GETFL;
import static org.jsplice.internal.linux.Linux.O_NONBLOCK;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POLLOUT;
import static org.jsplice.internal.linux.Linux.SPLICE_F_NONBLOCK;
import static org.jsplice.internal.linux.Linux.STATX_TYPE;

import java.io.IOException;
import java.lang.ref.Reference;
import org.jsplice.Errno;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.SpliceFlag;
import org.jsplice.internal.Segments;
import org.jsplice.spi.FileType;

/**
 * {@code splice(2)} and {@code tee(2)} between a pipe end and another descriptor, through the
 * end's call template: one call that waits until both sides are ready, and the looks at an input
 * that could make a splice wait inside the kernel. Stateless; the end's lock guards its scratch.
 */
final class Splices {
    private Splices() {
    }

    /**
     * One {@code splice(2)} or {@code tee(2)} between this end and another descriptor, holding both
     * open for the call, waiting in poll(2) until this pipe and the other descriptor are ready
     * (unless non-blocking). On a source the other descriptor is the output; on a sink, the input.
     *
     * @param tee {@code tee(2)} rather than {@code splice(2)}
     * @param other the handle of the other descriptor when jsplice owns it, else null
     * @param otherFd the other descriptor
     * @param offset the file offset on the other side, or -1 for none (its own position)
     * @param call the name for the statistics and events
     * @return the bytes moved; -1 at the end of the input; 0 when nothing moved without waiting
     */
    static long transfer(LinuxPipeEnd end, boolean tee, DescriptorHandle other, int otherFd, long offset, long length,
            SpliceFlag[] flags, String call) throws IOException {
        Segments.checkFlags(flags);
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        end.acquire();
        try {
            if (other != null) {
                other.acquire();
            }
            try {
                if (length == 0) {
                    return 0;
                }
                boolean wait = !SpliceFlag.contains(flags, SpliceFlag.NONBLOCK) && !end.nonBlocking;
                int bits = SpliceFlag.bits(flags) | SPLICE_F_NONBLOCK;
                int in = end.write ? otherFd : end.fd;
                int out = end.write ? end.fd : otherFd;
                long moved = 0;
                boolean done = false;
                end.enter();
                try {
                    // splice(2) honours SPLICE_F_NONBLOCK for pipes and for the files it reads at
                    // once; a socket's or a terminal's read waits in the kernel unless that
                    // descriptor is non-blocking. So such an input is asked first, without waiting.
                    boolean lookFirst = end.write && inputMayWait(end, in);
                    while (end.isOpen()) {
                        long r;
                        if (lookFirst && !readable(end, in)) {
                            r = -Errno.EAGAIN.code();
                        } else if (tee) {
                            r = end.raw.tee(in, out, length, bits);
                        } else if (offset < 0) {
                            r = end.raw.splice(in, 0, out, 0, length, bits);
                        } else {
                            long at = end.scratch.offset(offset);
                            r = end.write ? end.raw.splice(in, at, out, 0, length, bits) : end.raw.splice(in, 0, out, at, length, bits);
                        }
                        if (r >= 0) {
                            moved = r == 0 ? -1 : r;
                            done = true;
                            break;
                        }
                        if (r == -Errno.EINTR.code()) {
                            continue;
                        }
                        if (r != -Errno.EAGAIN.code()) {
                            throw new PipeException((tee ? "tee" : "splice") + "(fd_in=" + in + (end.write && offset >= 0 ? ", off_in="
                                    + offset : "") + ", fd_out=" + out + (!end.write && offset >= 0 ? ", off_out=" + offset : "")
                                    + ", len=" + length + ", flags=" + Segments.flagSet(flags) + ")", (int) -r);
                        }
                        if (!wait) {
                            done = true;
                            break;
                        }
                        if (!end.await(end.write ? POLLOUT : POLLIN, otherFd, end.write ? POLLIN : POLLOUT)) {
                            break;
                        }
                    }
                } finally {
                    try {
                        end.finish(done, Math.max(moved, 0), call, 1);
                    } finally {
                        end.lock.unlock();
                    }
                }
                return moved;
            } finally {
                if (other != null) {
                    other.release();
                }
            }
        } finally {
            end.release();
            Reference.reachabilityFence(end);
        }
    }

    /**
     * The descriptor of a file that a jsplice provider opened, for a splice at {@code offset}.
     *
     * @throws IllegalArgumentException for any other file, or a negative offset
     */
    static DescriptorHandle descriptorOf(NativeFile file, long offset) {
        if (!(file instanceof HasDescriptor)) {
            throw new IllegalArgumentException("not a file of a jsplice provider: " + file);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: offset=" + offset);
        }
        return ((HasDescriptor) file).descriptor();
    }

    /**
     * Whether a splice from {@code in} can wait inside the kernel: what is not a pipe, a regular
     * file or a block device, unless the descriptor is non-blocking. The caller holds the end's lock.
     */
    static boolean inputMayWait(LinuxChannel end, int in) {
        int fl = end.raw.fcntl(in, F_GETFL, 0);
        if (fl < 0 || (fl & O_NONBLOCK) != 0) {
            return false; // a bad descriptor is the splice's to report
        }
        // The statx buffer goes where the iovec array is: a splice does not use it.
        int r = end.raw.statx(in, STATX_TYPE, end.scratch.statx());
        if (r < 0) {
            return false;
        }
        FileType type = FileType.ofMode(end.scratch.statxMode());
        return type != FileType.FIFO && type != FileType.REGULAR && type != FileType.BLOCK_DEVICE;
    }

    /** {@code poll(2)} without waiting: whether {@code in} has bytes (or its end). The caller holds the end's lock. */
    static boolean readable(LinuxChannel end, int in) {
        end.pollfd(0, in, POLLIN);
        return end.raw.poll(end.scratch.pollfds(), 1, 0) != 0;
    }
}
