package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.Descriptors;

/**
 * Rules on {@code splice(2)} from a pipe: into another pipe, into a descriptor at its position, into
 * a file at an offset. Each moves a prefix of the pipe's bytes, at most the length asked, and leaves
 * the rest in the pipe; at end of stream it returns -1.
 */
public interface SpliceContract extends ContractHook {

    /**
     * {@link Capability#SPLICE}: a splice into another pipe moves between 1 and {@code length}
     * bytes, the first ones of this pipe, and leaves the others here. Undeclared: it fails cleanly
     * and both pipes stay as they were. On failure: compare the count with what each pipe holds.
     *
     * @param written the bytes in the pipe, generated
     * @param length the most bytes asked for, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 200)
    default void spliceToAPipeMovesAPrefixAndLeavesTheRest(@ForAll @IntRange(min = 1, max = ReadContract.FITS) int written,
            @ForAll @IntRange(min = 1, max = 70_000) int length) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Pipe from = provider.open(EnumSet.noneOf(PipeOption.class)); Pipe to = provider.open(EnumSet.noneOf(PipeOption.class))) {
            Support.put(from, memory, 0, written);
            from.sink().close(); // a provider that lost bytes meets end of stream, not a wait
            if (!capabilities().contains(Capability.SPLICE)) {
                Support.expectUnsupported("splice", () -> from.source().splice(to.sink(), length),
                        () -> check(from.source().queued() == written && to.source().queued() == 0,
                                () -> "an unsupported splice moved bytes"));
                return;
            }
            long n = from.source().splice(to.sink(), length);
            check(n >= 1 && n <= Math.min(length, written), () -> "splice of " + length + " from a pipe holding " + written
                    + " returned " + n);
            check(to.source().queued() == n, () -> "splice returned " + n + " but the target holds " + queuedOf(to));
            checkSameBytes(Arrays.copyOf(memory.content, (int) n), Support.read(to.source(), (int) n), "the spliced prefix");
            checkSameBytes(Arrays.copyOfRange(memory.content, (int) n, written), Support.readUpTo(from.source(), written),
                    "the bytes left in the source");
        }
    }

    private static int queuedOf(Pipe pipe) {
        try {
            return pipe.source().queued();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * {@link Capability#SPLICE}: a splice into a descriptor (here a regular file opened by plain
     * Java) writes the pipe's bytes at the descriptor's position; repeated until the pipe is empty
     * and closed, the file holds exactly what was written, and the next splice returns -1.
     * Undeclared: it fails cleanly and the pipe keeps its bytes.
     *
     * @param written the bytes in the pipe, generated
     * @param length the most bytes asked for per call, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 50)
    default void spliceToADescriptorWritesThePipesBytesAtItsPosition(
            @ForAll @IntRange(min = 1, max = ReadContract.FITS) int written,
            @ForAll @IntRange(min = 1, max = 70_000) int length) throws Exception {
        Support.needProcfs();
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Support.Scratch scratch = new Support.Scratch(); Descriptors.Held file = Descriptors.regularFile(scratch.dir);
                Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            Support.put(pipe, memory, 0, written);
            pipe.sink().close();
            if (!capabilities().contains(Capability.SPLICE)) {
                Support.expectUnsupported("splice", () -> pipe.source().splice(file.fd(), length),
                        () -> check(pipe.source().queued() == written, () -> "an unsupported splice moved bytes"));
                return;
            }
            long total = 0;
            long n;
            while ((n = pipe.source().splice(file.fd(), length)) >= 0) {
                long got = n;
                check(got > 0 && got <= length, () -> "splice of " + length + " into a file returned " + got);
                total += n;
            }
            long moved = total;
            check(moved == written, () -> "spliced " + moved + " of " + written + " bytes before end of stream");
            Path path = Path.of(Files.readSymbolicLink(Path.of("/proc/self/fd/" + file.fd())).toString());
            checkSameBytes(Arrays.copyOf(memory.content, written), Files.readAllBytes(path), "the file's content");
        }
    }

    /**
     * {@link Capability#FILES}: a splice into a file that the provider opened, at an offset, writes
     * there ({@code pwrite} style): the file is a hole up to the offset and the pipe's bytes after
     * it. Undeclared: {@code openFile} fails cleanly and creates nothing. On failure: look at how
     * the provider passes the offset.
     *
     * @param written the bytes in the pipe, generated
     * @param offset where in the file they go, generated
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Property(tries = 50)
    default void spliceToAFileAtAnOffsetWritesThere(@ForAll @IntRange(min = 1, max = 20_000) int written,
            @ForAll @IntRange(min = 0, max = 100_000) int offset) throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Support.Scratch scratch = new Support.Scratch(); Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            Path path = scratch.dir.resolve("spliced.bin");
            Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (!capabilities().contains(Capability.FILES)) {
                Support.expectUnsupported("openFile", () -> provider.openFile(path, options).close(),
                        () -> check(!Files.exists(path), () -> "an unsupported openFile created " + path));
                return;
            }
            Support.put(pipe, memory, 0, written);
            pipe.sink().close(); // a provider that lost bytes meets end of stream, not a wait
            try (NativeFile file = provider.openFile(path, options)) {
                if (!capabilities().contains(Capability.SPLICE)) {
                    Support.expectUnsupported("splice", () -> pipe.source().splice(file, offset, written),
                            () -> check(pipe.source().queued() == written && Files.size(path) == 0,
                                    () -> "an unsupported splice moved bytes"));
                    return;
                }
                long moved = 0;
                while (moved < written) {
                    long n = pipe.source().splice(file, offset + moved, written - moved);
                    long before = moved;
                    check(n > 0, () -> "splice into a file returned " + n + " with " + (written - before) + " bytes left");
                    moved += n;
                }
            }
            byte[] expected = new byte[offset + written];
            System.arraycopy(memory.content, 0, expected, offset, written);
            checkSameBytes(expected, Files.readAllBytes(path), "a file spliced into at offset " + offset);
        }
    }

    /**
     * {@link Capability#SPLICE}: from an empty pipe whose writer is gone, a splice returns -1.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void spliceAtEndOfStreamReturnsMinusOne() throws Exception {
        Support.skipUnless(capabilities().contains(Capability.SPLICE), "Capability.SPLICE");
        PipeProvider provider = provider();
        try (Pipe from = provider.open(EnumSet.noneOf(PipeOption.class)); Pipe to = provider.open(EnumSet.noneOf(PipeOption.class))) {
            from.sink().close();
            long n = from.source().splice(to.sink(), 4096);
            check(n == -1, () -> "splice at end of stream returned " + n + ", not -1");
        }
    }
}
