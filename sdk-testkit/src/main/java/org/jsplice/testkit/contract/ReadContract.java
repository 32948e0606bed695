package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;

/**
 * Rules on the read end: {@code read} gives the pipe's bytes in order and then end of stream; a
 * non-blocking read of an empty pipe gives 0; the read direction of {@code vmsplice} fills any
 * layout of segments in order.
 */
public interface ReadContract extends ContractHook {

    /** The most bytes a test puts into a default pipe (16 pages) without a reader. */
    int FITS = 60_000;

    /**
     * {@code read} into buffers of any size, heap or direct, returns the pipe's bytes in order, each
     * call at most what the buffer has room for, then -1 once the write end is closed. On failure:
     * look at how the provider advances the buffer's position and what it returns at end of stream.
     *
     * @param total the bytes in the pipe, generated
     * @param chunk the reader's buffer size, generated
     * @param direct whether the buffer is direct
     * @param offset where in the known content the bytes start
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 300)
    default void readDeliversThePipesBytesInOrderThenEndOfStream(@ForAll @IntRange(min = 0, max = FITS) int total,
            @ForAll @IntRange(min = 1, max = 70_000) int chunk, @ForAll boolean direct,
            @ForAll @IntRange(min = 0, max = 4095) int offset) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            Support.put(pipe, memory, offset, total);
            pipe.sink().close();
            check(pipe.source().read(ByteBuffer.allocate(0)) == 0 || total == 0,
                    () -> "a read into a buffer without room must return 0");
            ByteBuffer got = ByteBuffer.allocate(total);
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(chunk) : ByteBuffer.allocate(chunk);
            int n;
            while ((n = pipe.source().read(buf.clear())) >= 0) {
                int read = n;
                check(read > 0 && read <= chunk && buf.position() == read,
                        () -> "read returned " + read + " into a buffer of " + chunk + " and moved its position to "
                                + buf.position());
                check(got.remaining() >= read, () -> "read more bytes than were written: " + total);
                got.put(buf.flip());
            }
            checkSameBytes(Arrays.copyOfRange(memory.content, offset, offset + total),
                    Arrays.copyOf(got.array(), got.position()), "read " + total + " bytes in chunks of " + chunk);
            check(pipe.source().read(buf.clear()) == -1, () -> "end of stream must stay end of stream");
        }
    }

    /**
     * A non-blocking pipe that is empty while a writer is left reads 0 bytes; once the writer is
     * gone, -1.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aNonblockingReadOfAnEmptyPipeReturnsZeroThenEndOfStream() throws Exception {
        PipeProvider provider = provider();
        try (Pipe pipe = provider.open(EnumSet.of(PipeOption.NONBLOCKING))) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            int empty = pipe.source().read(buf);
            check(empty == 0, () -> "an empty non-blocking pipe read " + empty + ", not 0");
            pipe.sink().close();
            int end = pipe.source().read(buf);
            check(end == -1, () -> "a pipe without writer read " + end + ", not -1");
        }
    }

    /**
     * {@link Capability#READ_DIRECTION}: {@code PipeSource.vmsplice} fills segments of any lengths,
     * in order, with the pipe's bytes, each call a prefix of what is left, until all arrived.
     * Undeclared: it fails cleanly and the pipe keeps its bytes. On failure: look at how the
     * provider resumes inside a segment.
     *
     * @param lengths the segments' lengths, generated
     * @param gap the bytes between segments
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 100)
    default void theReadDirectionFillsAnyLayoutInOrder(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 3000) Integer> lengths,
            @ForAll @IntRange(min = 0, max = 100) int gap) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        int total = lengths.stream().mapToInt(Integer::intValue).sum();
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class));
                NativeBuffer into = provider.allocate(total + (long) gap * lengths.size() + 1, false)) {
            Support.put(pipe, memory, 0, total);
            pipe.sink().close(); // a provider that lost bytes meets end of stream, not a wait
            List<IoVec> segments = new ArrayList<>();
            long at = 0;
            for (int length : lengths) {
                segments.add(into.slice(at, length));
                at += length + gap;
            }
            if (!capabilities().contains(Capability.READ_DIRECTION)) {
                Support.expectUnsupported("the read direction", () -> pipe.source().vmsplice(segments),
                        () -> check(pipe.source().queued() == total, () -> "an unsupported read-direction call moved bytes"));
                return;
            }
            long moved = 0;
            while (moved < total) {
                long n = pipe.source().vmsplice(IoVec.drop(segments, moved));
                long before = moved;
                check(n > 0 && n <= total - moved, () -> "the read direction moved " + n + " with " + (total - before)
                        + " bytes left in the pipe");
                moved += n;
            }
            ByteBuffer view = into.asByteBuffer();
            byte[] got = new byte[total];
            int k = 0;
            for (IoVec v : segments) {
                for (long i = 0; i < v.length(); i++) {
                    got[k++] = view.get((int) (v.address() - into.address() + i));
                }
            }
            checkSameBytes(Arrays.copyOf(memory.content, total), got, "read direction into " + lengths.size() + " segments");
            check(pipe.source().queued() == 0, () -> "bytes were left in the pipe");
        }
    }
}
