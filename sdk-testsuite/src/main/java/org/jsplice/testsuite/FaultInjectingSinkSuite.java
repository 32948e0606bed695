package org.jsplice.testsuite;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.Pipes;
import org.jsplice.testkit.IoVecs;
import org.jsplice.testkit.PipeArbitraries;
import org.jsplice.testkit.PipeDrain;
import org.jsplice.testkit.SegmentLayout;
import org.jsplice.testkit.fakes.FaultInjectingSink;
import org.jsplice.testkit.fakes.FaultInjectingSink.Fault;

/**
 * How an application tests its own write loop with {@link FaultInjectingSink}: the loop under test
 * is {@link #writeAll}, first a correct one, then one with a classic bug that the faults expose.
 */
public abstract class FaultInjectingSinkSuite extends ProviderSuite {
    private static NativeBuffer memory;
    private static byte[] content;

    @BeforeContainer
    static void fill() throws IOException {
        memory = Pipes.allocate(PipeArbitraries.MEMORY);
        content = new byte[(int) PipeArbitraries.MEMORY];
        new java.util.Random(3).nextBytes(content);
        memory.asByteBuffer().put(content);
    }

    @AfterContainer
    static void unmap() {
        memory.close();
    }

    /** The application's loop: raw calls until every byte is in, resuming after partial transfers. */
    static void writeAll(PipeSink sink, List<IoVec> segments) throws IOException {
        List<IoVec> rest = segments;
        while (IoVecs.total(rest) > 0) {
            List<IoVec> batch = rest.subList(0, Math.min(rest.size(), 1024));
            rest = IoVecs.drop(rest, sink.vmsplice(batch));
        }
    }

    /** The same loop with a bug: after a partial transfer it starts the batch over. */
    static void writeAllForgettingPartialTransfers(PipeSink sink, List<IoVec> segments) throws IOException {
        for (int i = 0; i < segments.size(); i += 1024) {
            List<IoVec> batch = segments.subList(i, Math.min(segments.size(), i + 1024));
            long sent = 0;
            while (sent < IoVecs.total(batch)) {
                long r = sink.vmsplice(batch);
                sent = r == 0 ? sent : sent + r;
                if (r > 0 && r < IoVecs.total(batch)) {
                    sent = r; // bug: forgets what was sent before
                }
            }
        }
    }

    /** What a reader receives from the loop; a loop that sends more than twice the data fails the drain. */
    private static byte[] deliver(SegmentLayout layout, long seed, boolean buggy) throws Exception {
        long limit = 2 * layout.totalLength() + 65536;
        try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), limit)) {
            FaultInjectingSink sink = FaultInjectingSink.random(pipe.sink(), seed, 0.5,
                    Fault.SHORT_TRANSFER, Fault.EAGAIN, Fault.EINTR);
            if (buggy) {
                writeAllForgettingPartialTransfers(sink, layout.ioVecs(memory));
            } else {
                writeAll(sink, layout.ioVecs(memory));
            }
            pipe.sink().close();
            return drain.await(Duration.ofSeconds(60));
        }
    }

    @Property(tries = 200)
    void aCorrectLoopDeliversEverythingDespiteShortTransfersAndZeroReturns(
            @ForAll(supplier = PipeArbitraries.Layouts.class) SegmentLayout layout, @ForAll long seed) throws Exception {
        byte[] expected = layout.concatenation(content);
        if (!Arrays.equals(expected, deliver(layout, seed, false))) {
            throw new AssertionError("the loop lost or repeated bytes of " + layout);
        }
    }

    @Example
    void theFaultsExposeALoopThatForgetsPartialTransfers() throws Exception {
        SegmentLayout layout = SegmentLayout.of(0, 5000, 10_000, 3000, 20_000, 7000);
        byte[] expected = layout.concatenation(content);
        int caught = 0;
        for (long seed = 0; seed < 20; seed++) {
            if (!Arrays.equals(expected, deliver(layout, seed, true))) {
                caught++;
            }
        }
        if (caught == 0) {
            throw new AssertionError("no seed exposed the bug");
        }
    }

    @Example
    void anInjectedEpipeReachesTheApplicationAndIsCounted() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            FaultInjectingSink sink = FaultInjectingSink.onDemand(pipe.sink()).inject(Fault.EINTR, Fault.EPIPE);
            List<IoVec> data = List.of(memory.slice(0, 100));
            if (sink.vmsplice(data) != 0) {
                throw new AssertionError("EINTR must return 0");
            }
            try {
                writeAll(sink, data);
                throw new AssertionError("EPIPE must reach the loop");
            } catch (PipeException e) {
                if (e.errno() != Errno.EPIPE) {
                    throw e;
                }
            }
            if (sink.injected(Fault.EINTR) != 1 || sink.injected(Fault.EPIPE) != 1 || pipe.sink().queued() != 0) {
                throw new AssertionError("counts or pipe contents wrong");
            }
            writeAll(sink, data);
            if (pipe.sink().queued() != 100) {
                throw new AssertionError("without faults the bytes flow");
            }
        }
    }
}
