package org.jsplice.testsuite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.testkit.PipeDrain;

/**
 * Whatever the layout of the segments (1 to beyond {@code IOV_MAX} of them, 0 to 64 KiB each, at
 * any offset, overlapping or not), a reader on another thread receives their concatenation byte for
 * byte through {@code vmspliceFully}.
 */
public abstract class VmspliceIntegrityPropertiesSuite extends ProviderSuite {
    private static final int MEMORY = 4 << 20;
    private static final int MAX_SEGMENT = 64 << 10;
    private static NativeBuffer memory;
    private static byte[] content;

    @BeforeContainer
    static void fill() throws IOException {
        memory = Pipes.allocate(MEMORY);
        content = new byte[MEMORY];
        new Random(42).nextBytes(content);
        memory.asByteBuffer().put(content);
    }

    @AfterContainer
    static void unmap() {
        memory.close();
    }

    /** A segment as offset and length in {@link #memory}. */
    static final class Seg {
        final int offset;
        final int length;

        Seg(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }

        @Override
        public String toString() {
            return offset + "+" + length;
        }
    }

    @Provide
    Arbitrary<List<Seg>> layouts() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 16)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 8192)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, MAX_SEGMENT)));
        Arbitrary<Seg> segment = lengths.flatMap(length -> Arbitraries.integers().between(0, MEMORY - length)
                .map(offset -> new Seg(offset, length)));
        Arbitrary<Integer> counts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 64)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 2100)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(1, 16, 17, 1023, 1024, 1025, 2048, 2049)));
        return counts.flatMap(n -> segment.list().ofSize(n));
    }

    @Provide
    Arbitrary<SpliceFlag[]> flags() {
        return Arbitraries.of(SpliceFlag.MOVE, SpliceFlag.NONBLOCK, SpliceFlag.MORE)
                .set().map(s -> s.toArray(new SpliceFlag[0]));
    }

    @Property(tries = 300)
    void vmspliceFullyDeliversTheConcatenationInOrder(@ForAll("layouts") List<Seg> layout,
            @ForAll("flags") SpliceFlag[] flags, @ForAll boolean smallPipe) throws Exception {
        List<IoVec> segments = new ArrayList<>(layout.size());
        int total = 0;
        for (Seg s : layout) {
            segments.add(memory.slice(s.offset, s.length));
            total += s.length;
        }
        byte[] expected = new byte[total];
        int at = 0;
        for (Seg s : layout) {
            System.arraycopy(content, s.offset, expected, at, s.length);
            at += s.length;
        }

        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), total)) {
            if (smallPipe) {
                pipe.sink().capacity(4096);
            }
            long moved = pipe.sink().vmspliceFully(segments, flags);
            pipe.sink().close();
            byte[] got = drain.await(Duration.ofSeconds(60));
            if (moved != total) {
                throw new AssertionError("vmspliceFully returned " + moved + ", expected " + total);
            }
            if (!Arrays.equals(expected, got)) {
                int first = Arrays.mismatch(expected, got);
                throw new AssertionError("received " + got.length + " bytes of " + total + "; first difference at byte "
                        + first + " with flags " + Arrays.toString(flags));
            }
        }
    }

    @Property(tries = 100)
    void giftWithPageAlignedSegmentsDeliversTheConcatenation(@ForAll("pageLayouts") List<Seg> layout) throws Exception {
        List<IoVec> segments = new ArrayList<>();
        ByteBuffer expected = ByteBuffer.allocate(layout.stream().mapToInt(s -> s.length).sum());
        for (Seg s : layout) {
            segments.add(memory.slice(s.offset, s.length));
            expected.put(content, s.offset, s.length);
        }
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), expected.capacity())) {
            pipe.sink().vmspliceFully(segments, SpliceFlag.GIFT);
            pipe.sink().close();
            if (!Arrays.equals(expected.array(), drain.await(Duration.ofSeconds(60)))) {
                throw new AssertionError("GIFT transfer differs");
            }
        }
    }

    @Provide
    Arbitrary<List<Seg>> pageLayouts() {
        int page = (int) Pipes.provider().pageSize();
        Arbitrary<Seg> segment = Combinators.combine(
                        Arbitraries.integers().between(0, MEMORY / page - 17),
                        Arbitraries.integers().between(0, 16))
                .as((p, n) -> new Seg(p * page, n * page));
        return segment.list().ofMinSize(1).ofMaxSize(40);
    }
}
