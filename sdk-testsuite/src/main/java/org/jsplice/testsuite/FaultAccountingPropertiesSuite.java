package org.jsplice.testsuite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.PartialTransfer;
import org.jsplice.Pipe;
import org.jsplice.PipeAsynchronousCloseException;
import org.jsplice.PipeException;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;

/**
 * Accounting under faults: whatever the segment layout and wherever a fault strikes (a segment of
 * unmapped memory, the consumer dying, another thread closing the sink), the consumer receives
 * exactly a prefix of the concatenated segments, and the exception says how long: its
 * {@code bytesTransferred}.
 */
public abstract class FaultAccountingPropertiesSuite extends ProviderSuite {
    private static final int MEMORY = 1 << 20;
    private static NativeBuffer memory;
    private static byte[] content;

    @BeforeContainer
    static void fill() throws IOException {
        memory = Pipes.allocate(MEMORY);
        content = new byte[MEMORY];
        new java.util.Random(11).nextBytes(content);
        memory.asByteBuffer().put(content);
    }

    @AfterContainer
    static void free() {
        memory.close();
    }

    enum Fault { UNMAPPED_SEGMENT, CONSUMER_DIES, CLOSED }

    /** A layout: segments of the memory as (offset, length). */
    @Provide
    Arbitrary<List<int[]>> layouts() {
        Arbitrary<int[]> segment = Combinators.combine(Arbitraries.integers().between(0, MEMORY - 1),
                Arbitraries.integers().between(0, 20_000)).as((o, l) -> new int[] {o, Math.min(l, MEMORY - o)});
        return segment.list().ofMinSize(1).ofMaxSize(1500).withSizeDistribution(net.jqwik.api.RandomDistribution.uniform());
    }

    @Property(tries = 150, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void theConsumerReceivesExactlyThePrefixTheExceptionCounts(@ForAll("layouts") List<int[]> layout,
            @ForAll Fault fault, @ForAll("where") double where) throws Exception {
        List<IoVec> segments = new ArrayList<>();
        for (int[] s : layout) {
            segments.add(memory.slice(s[0], s[1]));
        }
        long total = 0;
        for (int[] s : layout) {
            total += s[1];
        }
        int faultAt = (int) (where * layout.size());
        long before = 0;
        for (int i = 0; i < faultAt; i++) {
            before += layout.get(i)[1];
        }
        long stopAfter = (long) (where * total);
        if (fault == Fault.UNMAPPED_SEGMENT) {
            // A page below vm.mmap_min_addr, which no process can map: EFAULT.
            segments.set(faultAt, IoVec.of(4096, Math.max(1, layout.get(faultAt)[1])));
        }
        try (Pipe pipe = Pipes.open()) {
            pipe.sink().capacity(65536);
            ByteBuffer received = ByteBuffer.allocate((int) total + 1);
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                ByteBuffer bite = ByteBuffer.allocateDirect(7000);
                try {
                    while (true) {
                        if (fault != Fault.UNMAPPED_SEGMENT && received.position() >= stopAfter) {
                            if (fault == Fault.CONSUMER_DIES) {
                                pipe.source().close();
                                return;
                            }
                            pipe.sink().close();
                        }
                        bite.clear();
                        int want = (int) Math.min(bite.capacity(), Math.max(1, stopAfter - received.position()));
                        bite.limit(fault == Fault.UNMAPPED_SEGMENT || received.position() >= stopAfter ? bite.capacity() : want);
                        int n = pipe.source().read(bite);
                        if (n < 0) {
                            return;
                        }
                        bite.flip();
                        received.put(bite);
                    }
                } catch (Throwable e) {
                    readerFailure.set(e);
                }
            });
            reader.start();
            long moved;
            Throwable failure = null;
            try {
                moved = pipe.sink().vmspliceFully(segments);
            } catch (IOException e) {
                failure = e;
                moved = PartialTransfer.of(e);
            }
            if (fault != Fault.CONSUMER_DIES) {
                pipe.sink().close();
            }
            reader.join(60_000);
            if (readerFailure.get() != null) {
                throw new AssertionError("the reader failed", readerFailure.get());
            }
            switch (fault) {
                case UNMAPPED_SEGMENT:
                    check(failure instanceof PipeException && ((PipeException) failure).errno() == Errno.EFAULT,
                            "EFAULT expected, got " + failure);
                    check(moved == before, "bytesTransferred " + moved + ", but the segments before the fault hold " + before);
                    checkPrefix(layout, received, moved, moved);
                    break;
                case CLOSED:
                    if (failure != null) {
                        // Closed during the call, or before it began (then nothing moved).
                        check(failure instanceof PipeAsynchronousCloseException
                                || failure instanceof java.nio.channels.ClosedChannelException && moved == 0, "expected a close: " + failure);
                    } else {
                        check(moved == total, "no failure, yet " + moved + " of " + total);
                    }
                    checkPrefix(layout, received, moved, moved);
                    break;
                default:
                    if (failure != null) {
                        check(failure instanceof PipeException && ((PipeException) failure).errno() == Errno.EPIPE,
                                "EPIPE expected, got " + failure);
                    }
                    // The consumer read what it read, a prefix; the rest of what moved died with the pipe.
                    check(received.position() <= moved, "received " + received.position() + " > bytesTransferred " + moved);
                    checkPrefix(layout, received, received.position(), moved);
            }
        }
    }

    /** The consumer received {@code length} bytes, and they are the first of the concatenation. */
    private static void checkPrefix(List<int[]> layout, ByteBuffer received, long length, long moved) {
        check(received.position() == length, "received " + received.position() + " bytes, the exception counts " + moved);
        int at = 0;
        for (int[] s : layout) {
            for (int i = 0; i < s[1] && at < length; i++, at++) {
                if (received.get(at) != content[s[0] + i]) {
                    throw new AssertionError("byte " + at + " of the concatenation is wrong");
                }
            }
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    @Provide
    Arbitrary<Double> where() {
        return Arbitraries.doubles().between(0, 0.99).ofScale(3);
    }
}
