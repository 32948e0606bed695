package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;

import java.io.IOException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.Descriptors;

/**
 * Rules on named pipes: {@code mkfifo} makes one, its two ends open each other and carry bytes, an
 * open with no peer ends at its timeout with nothing left open, and what is not a FIFO is refused.
 */
public interface FifoContract extends ContractHook {

    /**
     * {@link Capability#FIFOS}: {@code mkfifo} makes a FIFO; {@code openFifoSink} and {@code
     * openFifoSource}, opened from two threads, meet, and the bytes put into one come out of the
     * other. Undeclared: {@code mkfifo} fails cleanly and creates nothing.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void aFifoCarriesBytesFromItsWriterToItsReader() throws Exception {
        PipeProvider provider = provider();
        Support.Memory memory = Support.memory(provider);
        try (Support.Scratch scratch = new Support.Scratch()) {
            Path path = scratch.dir.resolve("fifo");
            if (!capabilities().contains(Capability.FIFOS)) {
                Support.expectUnsupported("mkfifo", () -> provider.mkfifo(path, 0600),
                        () -> check(!Files.exists(path), () -> "an unsupported mkfifo created " + path));
                return;
            }
            Support.needProcfs();
            provider.mkfifo(path, 0600);
            check(Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path),
                    () -> "mkfifo made no FIFO at " + path);
            CompletableFuture<PipeSource> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return provider.openFifoSource(path, Duration.ofSeconds(30));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (PipeSink sink = provider.openFifoSink(path, Duration.ofSeconds(30));
                    PipeSource source = reader.get(30, TimeUnit.SECONDS)) {
                check(provider.fileType(fdOf(path)) == FileType.FIFO, () -> "an open FIFO is not of type FIFO");
                sink.vmspliceFully(List.of(memory.buffer.slice(7, 5000)));
                sink.close();
                checkSameBytes(Arrays.copyOfRange(memory.content, 7, 5007), Support.readUpTo(source, 6000),
                        "the bytes through the FIFO");
            }
        }
    }

    /** A descriptor open on {@code path}, found in {@code /proc/self/fd}. */
    private static int fdOf(Path path) throws IOException {
        String real = path.toRealPath().toString();
        for (java.util.Map.Entry<Integer, String> e : Descriptors.snapshot().entrySet()) {
            if (e.getValue().equals(real)) {
                return e.getKey();
            }
        }
        throw new AssertionError("nothing in /proc/self/fd is open on " + real);
    }

    /**
     * {@link Capability#FIFOS}: opening a FIFO that no reader opens ends at the timeout with {@link
     * InterruptedByTimeoutException}, and no descriptor is left open on it. On failure: look at how
     * the provider abandons the waiting {@code open(2)}.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void openingAFifoWithNoPeerTimesOutAndLeavesNothingOpen() throws Exception {
        Support.skipUnless(capabilities().contains(Capability.FIFOS), "Capability.FIFOS");
        Support.needProcfs();
        PipeProvider provider = provider();
        try (Support.Scratch scratch = new Support.Scratch()) {
            Path path = scratch.dir.resolve("lonely");
            provider.mkfifo(path, 0600);
            String real = path.toRealPath().toString();
            long started = System.nanoTime();
            try (PipeSink unexpected = provider.openFifoSink(path, Duration.ofMillis(200))) {
                throw new AssertionError("openFifoSink without a reader returned " + unexpected);
            } catch (InterruptedByTimeoutException expected) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                check(waited >= 150, () -> "the open gave up after " + waited + " ms, before its timeout of 200 ms");
            }
            check(!Descriptors.snapshot().containsValue(real), () -> "a descriptor is left open on " + real);
        }
    }

    /**
     * {@link Capability#FIFOS}: a path that is not a FIFO is refused by both opens with an {@link
     * IOException}, leaving nothing open; {@code mkfifo} on a path that exists fails.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void whatIsNotAFifoIsRefused() throws Exception {
        Support.skipUnless(capabilities().contains(Capability.FIFOS), "Capability.FIFOS");
        Support.needProcfs();
        PipeProvider provider = provider();
        try (Support.Scratch scratch = new Support.Scratch()) {
            Path file = Files.write(scratch.dir.resolve("plain"), new byte[] {1, 2, 3});
            String real = file.toRealPath().toString();
            for (String end : List.of("sink", "source")) {
                try {
                    java.io.Closeable opened = end.equals("sink") ? provider.openFifoSink(file, Duration.ofSeconds(5))
                            : provider.openFifoSource(file, Duration.ofSeconds(5));
                    opened.close();
                    throw new AssertionError("openFifo" + end + " of a regular file succeeded");
                } catch (InterruptedByTimeoutException wrong) {
                    throw new AssertionError("openFifo" + end + " of a regular file waited for a peer", wrong);
                } catch (IOException expected) {
                    check(!Descriptors.snapshot().containsValue(real), () -> "a descriptor is left open on " + real);
                }
            }
            check(Arrays.equals(new byte[] {1, 2, 3}, Files.readAllBytes(file)), () -> "the regular file was changed");
            try {
                provider.mkfifo(file, 0600);
                throw new AssertionError("mkfifo over an existing file succeeded");
            } catch (IOException expected) {
                check(Files.isRegularFile(file), () -> "mkfifo replaced an existing file");
            }
        }
    }
}
