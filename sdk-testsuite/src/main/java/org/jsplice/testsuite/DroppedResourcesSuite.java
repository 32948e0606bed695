package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is dropped without {@code close()} is given back once unreachable, as the JDK's channels do:
 * descriptors, eventfds, native memory and mappings stay bounded over loops that open far more than
 * the process could hold. Runs with the provider discovery picks (JNA here, FFM in sdk-ffm's run).
 */
public abstract class DroppedResourcesSuite extends ProviderSuite {
    @TempDir
    Path dir;

    static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.count();
        }
    }

    static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    static long mappings() throws IOException {
        return Files.readAllLines(Paths.get("/proc/self/maps")).size();
    }

    /** A collection, and a moment for the cleaner to run. */
    static void collect() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
    }

    /** Opens {@code count} pipes and uses each once, keeping none. */
    private static void dropPipes(int count, boolean wait) throws Exception {
        for (int i = 0; i < count; i++) {
            Pipe p = Pipes.open();
            if (wait) {
                // An end that waited once has an eventfd of its own, which must go back too.
                p.sink().vmspliceFully(List.of());
                p.source().read(ByteBuffer.allocate(0));
            }
            if (i % 1000 == 999) {
                collect();
            }
        }
    }

    @Test
    @Timeout(300)
    void twentyThousandPipesDroppedWithoutCloseGiveTheirDescriptorsAndMemoryBack() throws Exception {
        dropPipes(2000, false); // warm-up: the classes, the JIT's memory, the cleaner's thread
        collect();
        long fds = openDescriptors();
        long rss = residentBytes();
        long mostFds = 0;
        for (int round = 0; round < 20; round++) {
            dropPipes(1000, true);
            mostFds = Math.max(mostFds, openDescriptors() - fds);
        }
        collect();
        collect();
        long grew = residentBytes() - rss;
        // 20,000 pipes hold 40,000 descriptors: more than this process may open (ulimit -n here: 20,000).
        assertTrue(mostFds < 6000, "descriptors grew by up to " + mostFds + " over 20,000 dropped pipes");
        assertTrue(openDescriptors() - fds < 100, "descriptors after collection: " + (openDescriptors() - fds) + " more than before");
        assertTrue(grew < 64L << 20, "resident memory grew by " + (grew >> 20) + " MiB over 20,000 dropped pipes");
    }

    @Test
    @Timeout(300)
    void writersAndBuffersDroppedWithoutCloseAreUnmapped() throws Exception {
        try (Pipe pipe = Pipes.open()) {
            for (int i = 0; i < 50; i++) {
                PipeWriter.builder(pipe.sink()).build();
            }
            collect();
            collect();
            long rss = residentBytes();
            long maps = mappings();
            long mostRss = 0;
            for (int i = 0; i < 1000; i++) {
                // A writer maps its memory (16 MiB of fresh pages, faulted in as it writes, or a ring of copies, faulted in at once).
                PipeWriter w = PipeWriter.builder(pipe.sink()).build();
                NativeBuffer b = Pipes.allocate(8 << 20);
                ByteBuffer v = b.asByteBuffer();
                for (int k = 0; k < v.capacity(); k += 4096) {
                    v.put(k, (byte) 1);
                }
                if (i % 25 == 24) {
                    collect();
                    mostRss = Math.max(mostRss, residentBytes() - rss);
                }
                assertTrue(w.ringSize() > 0);
            }
            collect();
            collect();
            // Unmapped once unreachable: the peak holds a few dozen writers at most, not a thousand.
            assertTrue(mostRss < 2048L << 20, "resident memory grew by up to " + (mostRss >> 20) + " MiB over 1,000 dropped writers");
            assertTrue(mappings() - maps < 200, "mappings after collection: " + (mappings() - maps) + " more than before");
        }
    }

    /**
     * Builds {@code count} writers over {@code pipe}, sends 100 bytes through each and reads them
     * back, keeping none; every 250 writers, fails once resident memory has grown by {@code bound}
     * over {@code baseline} (at once, so that a run without a bound stops long before the machine's
     * memory does). Returns the most it grew.
     */
    private static long dropWritersThatWrote(Pipe pipe, int count, long baseline, long bound) throws IOException {
        byte[] record = new byte[100];
        ByteBuffer back = ByteBuffer.allocate(record.length);
        long most = 0;
        for (int i = 0; i < count; i++) {
            PipeWriter w = PipeWriter.builder(pipe.sink()).build();
            w.write(record, 0, record.length);
            back.clear();
            while (back.hasRemaining()) {
                assertTrue(pipe.source().read(back) > 0, "the pipe ended");
            }
            if (i % 250 == 249) {
                most = Math.max(most, residentBytes() - baseline);
                assertTrue(most < bound, "resident memory grew by " + (most >> 20) + " MiB over " + (i + 1)
                        + " dropped writers (" + w.mode() + (w.hugePages() ? ", huge pages" : "") + ")");
            }
        }
        return most;
    }

    @Test
    @Timeout(600)
    void twentyThousandWritersDroppedWithoutCloseKeepTheirMemoryBounded() throws Exception {
        // No collection here: the heap barely grows (a writer is a few KiB of it), so the collector
        // would not run for the writers of itself, while each holds a huge page from its first
        // write (FRESH_PAGES) or its ring from its build (COPY).
        try (Pipe pipe = Pipes.open()) {
            dropWritersThatWrote(pipe, 500, 0, Long.MAX_VALUE); // warm-up: the classes, the JIT's memory, the cleaner's thread
            collect();
            collect();
            long most = dropWritersThatWrote(pipe, 20_000, residentBytes(), 256L << 20);
            System.out.println("resident memory grew by up to " + (most >> 20) + " MiB over 20,000 dropped writers");
        }
    }

    @Test
    @Timeout(120)
    void filesDroppedWithoutCloseGiveTheirDescriptorsBack() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        collect();
        long fds = openDescriptors();
        for (int i = 0; i < 30_000; i++) {
            NativeFile file = Pipes.openFile(f, StandardOpenOption.READ);
            assertTrue(file.isOpen());
            if (i % 1000 == 999) {
                collect();
            }
        }
        collect();
        collect();
        assertTrue(openDescriptors() - fds < 100, "descriptors after collection: " + (openDescriptors() - fds) + " more than before");
    }

    @Test
    void anEndClosedByItsOwnerIsNotClosedAgainByTheCleaner() throws Exception {
        // The numbers freed by close() go to the next open; the first pipe's cleaner must not close them.
        Pipe first = Pipes.open();
        java.util.Set<Integer> numbers = java.util.Set.of(fd(first.source()), fd(first.sink()));
        first.close();
        first = null;
        try (Pipe second = Pipes.open(); NativeBuffer page = Pipes.allocate(4096)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(numbers.equals(java.util.Set.of(fd(second.source()), fd(second.sink()))),
                    "the kernel gave the second pipe other numbers");
            collect();
            collect();
            second.sink().vmspliceFully(List.of(page.slice(0, 1)));
            assertEquals(1, second.source().read(ByteBuffer.allocate(1)), "both ends of the second pipe are still open");
        }
    }

    private static int fd(java.nio.channels.Channel end) {
        return ((org.jsplice.internal.linux.LinuxPipeEnd) end).fd();
    }
}
