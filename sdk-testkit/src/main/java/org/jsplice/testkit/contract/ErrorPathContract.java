package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.expectErrno;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.Descriptors;

/** Rules on failures: each names its errno, moves nothing it should not, and never crashes. */
public interface ErrorPathContract extends ContractHook {

    private List<IoVec> tenBytes(PipeProvider provider) {
        return List.of(Support.memory(provider).buffer.slice(0, 10));
    }

    /**
     * A sink over descriptor -1 fails with {@code EBADF}.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void descriptorMinusOneIsEbadf() throws Exception {
        PipeProvider provider = provider();
        expectErrno(Errno.EBADF, "fd -1", () -> provider.sink(-1, false).vmsplice(tenBytes(provider)));
    }

    /**
     * A sink over a descriptor number that is not open fails with {@code EBADF}.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aClosedDescriptorIsEbadf() throws Exception {
        Support.needProcfs();
        PipeProvider provider = provider();
        int fd = Descriptors.closedNumber();
        expectErrno(Errno.EBADF, "closed fd " + fd, () -> provider.sink(fd, false).vmsplice(tenBytes(provider)));
    }

    /**
     * A sink over a regular file fails with {@code EBADF}: vmsplice needs a pipe.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aRegularFileIsEbadf() throws Exception {
        Support.needProcfs();
        notAPipeIsEbadf(Descriptors::regularFile);
    }

    /**
     * A sink over a socket fails with {@code EBADF}: vmsplice needs a pipe.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aSocketIsEbadf() throws Exception {
        Support.needProcfs();
        notAPipeIsEbadf(Descriptors::unixSocket);
    }

    /** How a descriptor that is not a pipe is made in a scratch directory. */
    interface Opener {
        /**
         * Opens one.
         *
         * @param dir the scratch directory
         * @return the descriptor, held by plain Java
         * @throws IOException if it could not be opened
         */
        Descriptors.Held open(Path dir) throws IOException;
    }

    private void notAPipeIsEbadf(Opener opener) throws Exception {
        PipeProvider provider = provider();
        try (Support.Scratch scratch = new Support.Scratch(); Descriptors.Held held = opener.open(scratch.dir)) {
            expectErrno(Errno.EBADF, String.valueOf(held), () -> provider.sink(held.fd(), false).vmsplice(tenBytes(provider)));
        }
    }

    /**
     * A sink over the read end of a pipe fails with {@code EBADF} and leaves both the memory and the
     * pipe untouched. On failure: the kernel reads into the segments on a read end; the provider must
     * refuse before the call.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void theReadEndOfAPipeIsEbadf() throws Exception {
        Support.needProcfs();
        PipeProvider provider = provider();
        java.util.Map<Integer, String> before = Descriptors.snapshot();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class)); NativeBuffer scratch = provider.allocate(4096, false)) {
            List<Integer> readEnds = Descriptors.pipeReadEndsOpenedSince(before);
            check(readEnds.size() == 1, () -> "expected one new pipe read end in /proc/self/fd, found " + readEnds);
            pipe.sink().vmsplice(tenBytes(provider));
            scratch.asByteBuffer().put(0, (byte) 77);
            PipeSink wrong = provider.sink(readEnds.get(0), false);
            expectErrno(Errno.EBADF, "read end", () -> wrong.vmsplice(List.of(scratch.slice(0, 10))));
            check(scratch.asByteBuffer().get(0) == 77, () -> "the segments were overwritten by pipe data");
            check(pipe.sink().queued() == 10, () -> "the pipe's data was consumed");
        }
    }

    /**
     * A raw call with {@code NONBLOCK} on a full pipe returns 0 and moves nothing.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aFullPipeWithNonblockReturnsZero() throws Exception {
        PipeProvider provider = provider();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            List<IoVec> page = List.of(Support.memory(provider).buffer.slice(0, provider.pageSize()));
            int capacity = pipe.sink().capacity();
            for (int i = 0; i < capacity / provider.pageSize() + 1; i++) {
                pipe.sink().vmsplice(page, SpliceFlag.NONBLOCK);
            }
            int queued = pipe.sink().queued();
            check(queued == capacity, () -> "the pipe should be full: queued=" + queued + " capacity=" + capacity);
            long r = pipe.sink().vmsplice(page, SpliceFlag.NONBLOCK);
            check(r == 0, () -> "a full pipe with NONBLOCK must return 0, not " + r);
            check(pipe.sink().queued() == capacity, () -> "nothing may move into a full pipe");
        }
    }

    /**
     * With no reader left, a call fails with {@code EPIPE} (the JVM ignores SIGPIPE).
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void noReaderLeftIsEpipe() throws Exception {
        PipeProvider provider = provider();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            pipe.source().close();
            expectErrno(Errno.EPIPE, "no reader", () -> pipe.sink().vmsplice(tenBytes(provider)));
            expectErrno(Errno.EPIPE, "no reader, fully", () -> pipe.sink().vmspliceFully(tenBytes(provider)));
        }
    }

    /**
     * Memory that is no longer mapped fails with {@code EFAULT}, never a crash, and moves nothing.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void unmappedMemoryIsEfault() throws Exception {
        PipeProvider provider = provider();
        // A page below vm.mmap_min_addr (64 KiB by default), which no process can map. (A slice of a
        // closed NativeBuffer is refused before the call: the buffer keeps its range reserved.)
        IoVec stale = IoVec.of(provider.pageSize(), provider.pageSize());
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            expectErrno(Errno.EFAULT, "unmapped " + stale, () -> pipe.sink().vmsplice(List.of(stale)));
            check(pipe.sink().queued() == 0, () -> "nothing may move from unmapped memory");
        }
    }

    /**
     * Every call on a closed sink throws {@link ClosedChannelException}, whatever the call and
     * however often close was called (an undeclared resize may say it is unsupported instead). On failure: the provider reached the kernel with a stale
     * descriptor number.
     *
     * @param closeTwice whether close is called twice
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 50)
    default void everyCallAfterCloseThrowsClosedChannelException(@ForAll boolean closeTwice) throws Exception {
        PipeProvider provider = provider();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            PipeSink sink = pipe.sink();
            sink.close();
            if (closeTwice) {
                sink.close();
            }
            check(!sink.isOpen(), () -> "isOpen() after close");
            Support.Call[] calls = {
                () -> sink.vmsplice(tenBytes(provider)),
                () -> sink.vmsplice(List.of()),
                () -> sink.vmspliceFully(tenBytes(provider)),
                () -> sink.vmspliceFully(List.of()),
                sink::capacity,
                () -> sink.capacity(1 << 16),
                sink::queued,
            };
            for (int i = 0; i < calls.length; i++) {
                int index = i;
                try {
                    calls[i].run();
                    throw new AssertionError("call " + index + " on a closed sink succeeded");
                } catch (ClosedChannelException expected) {
                    // the rule
                } catch (UnsupportedOperationException unsupported) {
                    check(index == 5 && !capabilities().contains(Capability.RESIZE),
                            () -> "call " + index + " on a closed sink threw " + unsupported);
                } catch (Exception other) {
                    throw new AssertionError("call " + index + " on a closed sink threw " + other
                            + " instead of ClosedChannelException", other);
                }
            }
        }
    }

    /**
     * Memory factories refuse negative and overflowing ranges: a slice exists exactly when {@code 0
     * <= offset <= offset + length <= size}.
     *
     * @param offset where the slice starts, generated
     * @param length its length, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property
    default void slicesExistExactlyWithinTheBuffer(@ForAll long offset, @ForAll long length) throws Exception {
        NativeBuffer buffer = Support.memory(provider()).buffer;
        long size = buffer.size();
        boolean inside = offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
        try {
            IoVec v = buffer.slice(offset, length);
            check(inside, () -> "slice(" + offset + ", " + length + ") of " + size + " bytes must be refused");
            check(v.address() == buffer.address() + offset && v.length() == length, () -> "wrong slice " + v);
        } catch (IndexOutOfBoundsException e) {
            check(!inside, () -> "slice(" + offset + ", " + length + ") of " + size + " bytes must be allowed");
        }
        if (length < 0) {
            try {
                IoVec.of(buffer.address(), length);
                throw new AssertionError("IoVec.of with length " + length + " must be refused");
            } catch (IllegalArgumentException expected) {
                // the rule
            }
        }
    }
}
