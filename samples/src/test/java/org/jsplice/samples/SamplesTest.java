package org.jsplice.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Test;

/**
 * The samples as users run them: in JVMs of their own, compiled against sdk-api alone, with the
 * provider found on the class path or the module path, and without it.
 */
class SamplesTest {
    /** JNA loads its native library: JDK 22+ asks for this instead of warning; 17 accepts it. */
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private static String where(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String path(String... entries) {
        return String.join(File.pathSeparator, entries);
    }

    /** The samples' classes and picocli, which they parse their command lines with. */
    private static String samples() throws Exception {
        return path(where(PipeRoundTrip.class.getName()), where("picocli.CommandLine"));
    }

    private static String api() throws Exception {
        return where(Pipes.class.getName());
    }

    private static String slf4j() throws Exception {
        return where("org.slf4j.LoggerFactory");
    }

    private static String[] provider() throws Exception {
        return new String[] {where("org.jsplice.jna.JnaPipeProvider"), where("com.sun.jna.Native"),
            where("org.slf4j.simple.SimpleServiceProvider")};
    }

    /** Runs java with the arguments; returns exit code and output (stdout and stderr merged). */
    private static Object[] java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new Object[] {p.exitValue(), out};
    }

    @Test
    void roundTripFindsTheProviderOnTheClassPathAndVerifiesEveryByte() throws Exception {
        String[] p = provider();
        Object[] r = java(NATIVE_ACCESS, "-cp", path(samples(), api(), slf4j(), p[0], p[1], p[2]),
                PipeRoundTrip.class.getName(), "64m");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("moved 64.00 MiB through a 1.00 MiB pipe with vmsplice"), (String) r[1]);
        assertTrue(((String) r[1]).contains("the reader verified every byte"), (String) r[1]);
        assertTrue(((String) r[1]).contains("provider jna, zero-copy on, this kernel's vmsplice references pages"), (String) r[1]);
    }

    @Test
    void roundTripFindsTheProviderOnTheModulePath() throws Exception {
        String[] p = provider();
        Object[] r = java("--enable-native-access=com.sun.jna",
                "--module-path", path(api(), slf4j(), p[0], p[1], p[2]), "--add-modules", "ALL-MODULE-PATH",
                "-cp", samples(), PipeRoundTrip.class.getName(), "16m", "4k");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("moved 16.00 MiB"), (String) r[1]);
    }

    @Test
    void withoutTheProviderTheSampleFailsAndSaysWhatToAdd() throws Exception {
        Object[] r = java("-cp", path(samples(), api(), slf4j()), PipeRoundTrip.class.getName(), "1m");
        assertEquals(1, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("No jsplice provider is available: add org.jsplice:sdk-jna (JDK 17+) or "
                + "org.jsplice:sdk-ffm (JDK 22+) to the run-time class path (or module path). Providers found: none."),
                (String) r[1]);
    }

    @Test
    void quickStartRefusesAStandardOutputThatIsNotAPipe() throws Exception {
        String[] p = provider();
        // ProcessBuilder gives the child a pipe; redirect to a file to make stdout a regular file.
        File out = File.createTempFile("quickstart", ".out");
        out.deleteOnExit();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                NATIVE_ACCESS, "-cp", path(samples(), api(), slf4j(), p[0], p[1], p[2]), QuickStart.class.getName())
                .redirectOutput(out).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, child.exitValue());
        assertTrue(err.contains("standard output (fd 1) is a regular file, not a pipe or FIFO"), err);

        Object[] r = java(NATIVE_ACCESS, "-cp", path(samples(), api(), slf4j(), p[0], p[1], p[2]), QuickStart.class.getName());
        assertEquals(0, r[0], (String) r[1]);
        assertEquals("hello from vmsplice\n", r[1]);
    }

    @Test
    void theStreamPatternMatchesPipebench() {
        ByteBuffer b = ByteBuffer.allocate(64);
        StreamPattern.fill(b, 0, 8, 61);
        assertEquals((byte) (8 ^ StreamPattern.KEY), b.get(0), "little-endian low byte of word 8");
        assertEquals(StreamPattern.byteAt(8 + 60), b.get(60));
        b.limit(61);
        assertEquals(-1, StreamPattern.verify(b.duplicate(), 8));
        b.put(13, (byte) (b.get(13) + 1));
        assertEquals(8 + 13, StreamPattern.verify(b.duplicate(), 8));
        assertEquals(5, StreamPattern.verify(ByteBuffer.wrap(new byte[] {StreamPattern.byteAt(3), StreamPattern.byteAt(4), 0}), 3));
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(64 << 10, Sizes.parse("64k"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(8L << 30, Sizes.parse("8GiB"));
        assertEquals("1.00 GiB", Sizes.format(1L << 30));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
    }

    /** A shell command line that runs a sample class on the class path with the provider. */
    private static String sample(Class<?> main, String args) throws Exception {
        String[] p = provider();
        return "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' " + NATIVE_ACCESS + " -cp '"
                + path(samples(), api(), slf4j(), p[0], p[1], p[2]) + "' "
                + main.getName() + " " + args;
    }

    private static Object[] shell(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new Object[] {p.exitValue(), out};
    }

    @Test
    void pumpIntoDrainChecksEveryByte() throws Exception {
        Object[] r = shell("set -e; " + sample(Pump.class, "96m") + " | " + sample(Drain.class, "--expect 96m"));
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("drain 96.00 MiB in "), (String) r[1]);
        assertTrue(((String) r[1]).contains("every byte checked"), (String) r[1]);
        Object[] splice = shell("set -e; " + sample(Pump.class, "96m") + " | " + sample(Drain.class, "--mode splice --expect 96m"));
        assertEquals(0, splice[0], (String) splice[1]);
    }

    @Test
    void pumpByDefaultSurvivesAConsumerThatSplicesOnward() throws Exception {
        // vmcat splices pump's pages into a second pipe: a reused ring would be overwritten there.
        Object[] r = shell("set -e; " + sample(Pump.class, "96m") + " | " + sample(VmCat.class, "") + " | "
                + sample(Drain.class, "--expect 96m"));
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("PipeWriter SAFE"), (String) r[1]);
    }

    @Test
    void pumpRecycleBehindAConsumerThatSplicesOnwardCorruptsAndDrainSeesIt() throws Exception {
        // RECYCLE assumes a copying consumer; vmcat splices the pages into a second pipe instead.
        Object[] r = shell(sample(Pump.class, "--recycle 96m") + " | " + sample(VmCat.class, "") + " | "
                + sample(Drain.class, "--expect 96m"));
        assertEquals(1, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("CORRUPT"), (String) r[1]);
        assertTrue(((String) r[1]).contains("PipeWriter RECYCLE (RING)"), (String) r[1]);
    }

    @Test
    void drainCatchesACorruptStream() throws Exception {
        // The stream shifted by one byte: drain must say where it first went wrong.
        Object[] r = shell(sample(Pump.class, "1m") + " | tail -c +2 | " + sample(Drain.class, ""));
        assertEquals(1, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("CORRUPT: the first wrong byte is at stream offset 0"), (String) r[1]);
    }

    @Test
    void pumpPassesTheCReferenceReadersCheck() throws Exception {
        Path binary = compiled("pipebench");
        Object[] r = shell("set -e; " + sample(Pump.class, "256m") + " | '" + binary + "' r read -s 256K -p 1M -n 256M -v");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("verify=ok"), (String) r[1]);
    }

    /** One of the benchmarks' C programs, built into target/ (the test is skipped where gcc does not work). */
    private static Path compiled(String name) throws Exception {
        Path source = Path.of("..", "benchmarks", "src", "main", "c", name + ".c");
        assertTrue(Files.exists(source), "the C programs are part of the checkout: " + source.toAbsolutePath());
        Path binary = Path.of("target", name).toAbsolutePath();
        Object[] cc = shell("gcc -O2 -o '" + binary + "' '" + source + "'");
        org.junit.jupiter.api.Assumptions.assumeTrue((int) cc[0] == 0, "no working gcc: " + cc[1]);
        return binary;
    }

    @Test
    void roundTripSaysWhereVmspliceIsRefusedAndStillVerifiesEveryByte() throws Exception {
        Object[] r = shell("'" + compiled("novmsplice") + "' " + sample(PipeRoundTrip.class, "64m"));
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("the reader verified every byte"), (String) r[1]);
        assertTrue(((String) r[1]).contains("provider jna, zero-copy off, vmsplice is refused here, so jsplice copies with writev"),
                (String) r[1]);
    }

    @Test
    void vmcatOfFilesAndOfAPipedStdinMatchesSha256(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] a = new byte[20 << 20];
        byte[] b = new byte[12345];
        new java.util.Random(5).nextBytes(a);
        new java.util.Random(6).nextBytes(b);
        Path fa = Files.write(dir.resolve("a.bin"), a);
        Path fb = Files.write(dir.resolve("b.bin"), b);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(a);
        sha.update(b);
        String expected = java.util.HexFormat.of().formatHex(sha.digest());

        Object[] files = shell("set -e; " + sample(VmCat.class, "--window 1m '" + fa + "' '" + fb + "'") + " | sha256sum");
        assertEquals(expected, ((String) files[1]).split("\\s+")[0], (String) files[1]);
        Object[] piped = shell("set -e; cat '" + fa + "' '" + fb + "' | " + sample(VmCat.class, "") + " | sha256sum");
        assertEquals(expected, ((String) piped[1]).split("\\s+")[0], (String) piped[1]);
        Object[] copied = shell(sample(VmCat.class, "'" + fa + "' '" + fb + "'") + " > '" + dir.resolve("c.bin") + "'");
        assertEquals(0, copied[0]);
        assertEquals("", copied[1], "into a file it copies, silently, as cat does");
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(both, Files.readAllBytes(dir.resolve("c.bin")));
    }

    @Test
    void everyCommandLineProgramHasHelp() throws Exception {
        for (Class<?> main : List.of(VmCat.class, Pump.class, Drain.class, VmTee.class, Feed.class)) {
            Object[] r = shell(sample(main, "--help"));
            assertEquals(0, r[0], (String) r[1]);
            assertTrue(((String) r[1]).startsWith("Usage: "), (String) r[1]);
        }
    }

    /** Runs {@code script} with standard output and standard error apart: {exit status, stdout, stderr}. */
    private static Object[] split(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).start();
        p.getOutputStream().close();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Object[] {p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8)};
    }

    /** vmcat and cat on the same operands, into a pipe: the same bytes, the same messages, the same status. */
    private static void sameAsCat(String operands) throws Exception {
        Object[] cat = split("cat " + operands + " | cat");
        Object[] vmcat = split(sample(VmCat.class, operands) + " | cat");
        assertEquals(cat[1], vmcat[1], "standard output of " + operands);
        assertEquals(((String) cat[2]).replace("cat: ", "vmcat: "), vmcat[2], "standard error of " + operands);
        Object[] catStatus = split("cat " + operands + " >/dev/null 2>&1; echo $?");
        Object[] vmcatStatus = split(sample(VmCat.class, operands) + " 2>/dev/null | cat >/dev/null; "
                + "(" + sample(VmCat.class, operands) + " >/dev/null 2>&1; echo $?)");
        assertEquals(catStatus[1], vmcatStatus[1], "exit status of " + operands);
    }

    @Test
    void vmcatReadsWhatItCannotMapAsCatDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "first\n");
        Files.writeString(dir.resolve("b"), "second\n");
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        sameAsCat("/proc/version");                        // size 0, content by reading
        sameAsCat("/proc/sys/kernel/ostype " + a);
        sameAsCat(a + " /nonexistent " + b);               // one line per failure, the rest still copied
        sameAsCat(a + " " + dir + " " + b);                // a directory
        Object[] status = split(sample(VmCat.class, "/proc/self/status") + " | cat");
        assertTrue(((String) status[1]).startsWith("Name:"), (String) status[1]);
        Object[] stdin = split("printf hello | " + sample(VmCat.class, "/dev/stdin") + " | cat");
        assertEquals("hello", stdin[1]);
        Path fifo = dir.resolve("fifo");
        Pipes.mkfifo(fifo);
        Object[] named = split("(printf 'through a fifo' > '" + fifo + "' &) ; " + sample(VmCat.class, "'" + fifo + "'") + " | cat");
        assertEquals("through a fifo", named[1]);
        assertEquals(0, named[0]);
    }

    @Test
    void aReaderThatLeavesEndsTheSamplesQuietlyWithTheStatusOfSigpipe(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path big = dir.resolve("big");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64 << 20);
        }
        Object[] cat = split("{ " + sample(VmCat.class, "'" + big + "'") + "; echo $? >&2; } | head -c 100 | wc -c");
        assertEquals("100", ((String) cat[1]).trim());
        assertEquals("141", ((String) cat[2]).trim(), "silent, and 141 as a shell reports cat killed by SIGPIPE");
        Object[] pump = split("{ " + sample(Pump.class, "1g") + "; echo $? >&2; } | head -c 100 | wc -c");
        assertEquals("141", ((String) pump[2]).trim());
    }

    @Test
    void theSamplesPrintTheirVersion() throws Exception {
        for (Class<?> main : List.of(VmCat.class, Pump.class, Drain.class, Feed.class, VmTee.class)) {
            Object[] v = split(sample(main, "-V"));
            assertEquals(0, v[0]);
            assertTrue(((String) v[1]).matches("[a-z]+ \\(jsplice samples\\) .+\n"), main + ": " + v[1]);
        }
    }

    @Test
    void feedChecksSha256sumAndAGzipRoundTrip() throws Exception {
        Object[] r = split(sample(Feed.class, "64m"));
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("equal to Java's"), (String) r[2]);
        assertTrue(((String) r[2]).contains("gave back 64.00 MiB of 64.00 MiB, every byte checked"), (String) r[2]);
    }

    @Test
    void vmteeGivesStandardOutputAndEveryFileWhatTeeGives(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] data = new byte[24 << 20];
        new java.util.Random(9).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        String a = dir.resolve("a.bin").toString();
        String b = dir.resolve("b.bin").toString();
        for (String feed : List.of("cat '" + in + "' | ", "< '" + in + "' ")) { // a pipe, then a plain file
            Object[] r = split("set -e; " + feed + sample(VmTee.class, "'" + a + "' '" + b + "'") + " | cat > '" + dir.resolve("out.bin") + "'");
            assertEquals(0, r[0], (String) r[2]);
            assertEquals("", r[2]);
            for (String f : List.of(a, b, dir.resolve("out.bin").toString())) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(data, Files.readAllBytes(Path.of(f)), feed + f);
            }
        }
    }

    @Test
    void vmteeReportsAFileItCannotWriteAsTeeDoesAndStillFillsTheOthers(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(10).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        Path ok = dir.resolve("ok.bin");
        String missing = dir.resolve("no/such/dir").toString();
        Object[] tee = split("cat '" + in + "' | tee '" + missing + "' >/dev/null");
        Object[] vmtee = split("cat '" + in + "' | " + sample(VmTee.class, "'" + missing + "' '" + ok + "'") + " | cat >/dev/null");
        assertEquals(1, tee[0]);
        assertEquals(((String) tee[2]).replace("tee: ", "vmtee: "), vmtee[2]);
        Object[] status = split("cat '" + in + "' | " + sample(VmTee.class, "'" + missing + "'") + " >/dev/null 2>&1; echo $?");
        assertEquals("1\n", status[1]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, Files.readAllBytes(ok));
    }
}
