package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;
import org.jsplice.SpliceFlag;
import org.jsplice.testkit.PipeArbitraries;
import org.jsplice.testkit.PipeDrain;
import org.jsplice.testkit.SegmentLayout;
import org.jsplice.testkit.fakes.FaultInjectingSink;
import org.jsplice.testkit.fakes.FaultInjectingSink.Fault;

/**
 * The API's forwarding decorators over the real provider: {@code standardVmspliceFully} builds a
 * whole transfer on the decorator's own {@code vmsplice}, whatever the layout and however short
 * the calls come back; a splice into a decorated sink reaches the real one.
 */
public abstract class ForwardingPropertiesSuite extends ProviderSuite {
    private static NativeBuffer memory;
    private static byte[] content;

    @BeforeContainer
    static void fill() throws IOException {
        memory = Pipes.allocate(PipeArbitraries.MEMORY);
        content = new byte[(int) PipeArbitraries.MEMORY];
        new Random(7).nextBytes(content);
        memory.asByteBuffer().put(content);
    }

    @AfterContainer
    static void unmap() {
        memory.close();
    }

    /** Counts what passes through its vmsplice, and builds vmspliceFully on it. */
    static final class CountingSink extends ForwardingPipeSink {
        private final PipeSink delegate;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        CountingSink(PipeSink delegate) {
            this.delegate = delegate;
        }

        @Override
        protected PipeSink delegate() {
            return delegate;
        }

        @Override
        public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            assertTrue(segments.size() <= IoVec.IOV_MAX, "a batch of " + segments.size());
            long n = delegate.vmsplice(segments, flags);
            calls.incrementAndGet();
            bytes.addAndGet(n);
            return n;
        }

        @Override
        public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            return standardVmspliceFully(segments, flags);
        }
    }

    @Property(tries = 300)
    void standardVmspliceFullyDeliversEverythingThroughTheOverriddenVmsplice(
            @ForAll(supplier = PipeArbitraries.Layouts.class) SegmentLayout layout,
            @ForAll(supplier = PipeArbitraries.HarmlessFlags.class) SpliceFlag[] flags,
            @ForAll long seed) throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), layout.totalLength())) {
            // Short transfers and calls that move nothing, under the counting decorator.
            CountingSink counting = new CountingSink(FaultInjectingSink.random(pipe.sink(), seed, 0.3,
                    Fault.SHORT_TRANSFER, Fault.EINTR));
            assertEquals(layout.totalLength(), counting.vmspliceFully(layout.ioVecs(memory), flags));
            assertEquals(layout.totalLength(), counting.bytes.get(), "every byte passed through the decorator");
            pipe.sink().close();
            assertArrayEquals(layout.concatenation(content), drain.await(Duration.ofSeconds(60)));
        }
    }

    @Example
    void aFailureInTheMiddleSaysHowManyBytesOfTheWholeTransferMoved() throws Exception {
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), 1 << 20)) {
            FaultInjectingSink faults = FaultInjectingSink.onDemand(pipe.sink());
            CountingSink counting = new CountingSink(faults);
            faults.inject(Fault.SHORT_TRANSFER, Fault.SHORT_TRANSFER, Fault.EPIPE);
            List<IoVec> segments = List.of(memory.slice(0, 8192), memory.slice(8192, 8192));
            PipeException e = assertThrows(PipeException.class, () -> counting.vmspliceFully(segments));
            assertEquals(counting.bytes.get(), e.bytesTransferred());
            assertTrue(e.bytesTransferred() > 0 && e.bytesTransferred() < 16384, "moved " + e.bytesTransferred());
        }
    }

    @Example
    void aSpliceIntoADecoratedSinkReachesTheRealOne() throws Exception {
        try (Pipe from = Pipes.open(); Pipe to = Pipes.open()) {
            from.sink().vmspliceFully(List.of(memory.slice(0, 4096)));
            assertEquals(4096, from.source().splice(new CountingSink(to.sink()), 4096));
            ByteBuffer got = ByteBuffer.allocate(4096);
            while (got.hasRemaining()) {
                to.source().read(got);
            }
            assertArrayEquals(java.util.Arrays.copyOf(content, 4096), got.array());
        }
    }
}
