package org.jsplice.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsplice.Pipes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vmtee beside GNU {@code tee}: each case runs the same shell command line with {@code tee} and with
 * vmtee (in a JVM of its own, from the samples' classes with the provider on the class path), in
 * two directories set up alike, and compares the exit status, standard output, standard error (with
 * the program's name changed) and every file the directories hold afterwards. Where timing decides
 * how much an output got (an output that goes on until a time-out, one that stops when its reader
 * left), the checks compare what both must show.
 */
class VmTeeTest {
    /** A bound on every command line: a case that hangs fails instead of holding the build. */
    private static final int KILL_AFTER_SECONDS = 120;

    @TempDir
    static Path bin;

    /** The vmtee launcher the command lines run as {@code $TEE}. */
    private static Path vmtee;

    private static String where(String className) throws Exception {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @BeforeAll
    static void launcher() throws Exception {
        String cp = String.join(File.pathSeparator, where(VmTee.class.getName()), where(Pipes.class.getName()),
                where("org.slf4j.LoggerFactory"), where("org.jsplice.jna.JnaPipeProvider"), where("com.sun.jna.Native"),
                where("org.slf4j.simple.SimpleServiceProvider"));
        vmtee = bin.resolve("vmtee");
        Files.writeString(vmtee, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -cp '" + cp + "' "
                + VmTee.class.getName() + " \"$@\"\n");
        assertTrue(vmtee.toFile().setExecutable(true));
    }

    /** What one command line did. */
    private static final class Outcome {
        final int status;
        final byte[] stdout;
        final String stderr;
        final Map<String, byte[]> files;

        Outcome(int status, byte[] stdout, String stderr, Map<String, byte[]> files) {
            this.status = status;
            this.stdout = stdout;
            this.stderr = stderr;
            this.files = files;
        }

        String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            String o = out();
            return "status " + status + ", stdout " + (o.length() > 200 ? o.length() + " bytes" : "[" + o + "]")
                    + ", stderr [" + stderr + "], files " + files.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().length).collect(Collectors.joining(" "));
        }
    }

    /** Sets up a directory before a case runs in it. */
    @FunctionalInterface
    private interface Setup {
        void in(Path dir) throws IOException;
    }

    private static final Setup NOTHING = dir -> { };

    private static byte[] drain(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code script} with bash in {@code dir}, {@code $TEE} naming {@code tee}, in the C locale
     * without POSIXLY_CORRECT, standard input empty and standard output a pipe.
     */
    private static Outcome run(Path dir, String tee, String script) throws Exception {
        return run(dir, tee, script, KILL_AFTER_SECONDS);
    }

    /** As {@link #run(Path, String, String)}, killed (status 137) after {@code seconds}. */
    private static Outcome run(Path dir, String tee, String script, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("timeout", "-s", "KILL", String.valueOf(seconds), "bash", "-c", script)
                .directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("POSIXLY_CORRECT");
        pb.environment().put("TEE", tee);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = new CompletableFuture<>();
        Thread reader = new Thread(() -> err.complete(drain(p.getErrorStream())));
        reader.start();
        byte[] out = drain(p.getInputStream());
        assertTrue(p.waitFor(KILL_AFTER_SECONDS + 30, TimeUnit.SECONDS), script);
        return new Outcome(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8), files(dir));
    }

    /** Every regular file under {@code dir}, by relative name. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                all.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return all;
    }

    /** Runs the case with tee in {@code base/name/tee} and with vmtee in {@code base/name/vmtee}, at once. */
    private static Outcome[] both(Path base, String name, Setup setup, String script) throws Exception {
        return both(base, name, setup, script, KILL_AFTER_SECONDS);
    }

    private static Outcome[] both(Path base, String name, Setup setup, String script, int seconds) throws Exception {
        Path gnu = Files.createDirectories(base.resolve(name).resolve("tee"));
        Path ours = Files.createDirectories(base.resolve(name).resolve("vmtee"));
        setup.in(gnu);
        setup.in(ours);
        CompletableFuture<Outcome> tee = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tee.complete(run(gnu, "tee", script, seconds));
            } catch (Throwable e) {
                tee.completeExceptionally(e);
            }
        });
        t.start();
        Outcome vm = run(ours, vmtee.toString(), script, seconds);
        return new Outcome[] {tee.get(), vm};
    }

    /** tee's standard error as vmtee words it: its own name. */
    private static String asVmtee(String teeStderr) {
        return teeStderr.replaceAll("(?m)^tee: ", "vmtee: ").replace("Try 'tee --help'", "Try 'vmtee --help'");
    }

    /** Asserts that tee and vmtee did the same: status, standard output, standard error and files. */
    private static void same(String script, Outcome[] r) {
        Outcome tee = r[0];
        Outcome vm = r[1];
        String what = script + "\n  tee:   " + tee + "\n  vmtee: " + vm;
        assertEquals(tee.status, vm.status, "exit status of " + what);
        assertTrue(Arrays.equals(tee.stdout, vm.stdout), "standard output of " + what);
        assertEquals(asVmtee(tee.stderr), vm.stderr, "standard error of " + what);
        assertEquals(tee.files.keySet(), vm.files.keySet(), "the files left by " + what);
        for (String f : tee.files.keySet()) {
            assertTrue(Arrays.equals(tee.files.get(f), vm.files.get(f)), "file " + f + " of " + what);
        }
    }

    private static void sameAsTee(Path base, String name, Setup setup, String script) throws Exception {
        same(script, both(base, name, setup, script));
    }

    /** Several cases at once (each waits on time-outs or on a JVM starting), checked in order. */
    private static void sameAsTee(Path base, Setup setup, String... scripts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome[]>> runs = new ArrayList<>();
            for (int i = 0; i < scripts.length; i++) {
                int k = i;
                runs.add(pool.submit(() -> both(base, "case" + k, setup, scripts[k])));
            }
            for (int i = 0; i < scripts.length; i++) {
                same(scripts[i], runs.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Setup input(byte[] data) {
        return dir -> Files.write(dir.resolve("in.bin"), data);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void copiesStandardInputToStandardOutputAndEveryFile(@TempDir Path dir) throws Exception {
        Setup in = input(random(3 << 20, 1));
        sameAsTee(dir, in,
                "cat in.bin | $TEE a b",                             // a pipe in, a pipe out: spliced end to end
                "$TEE a b < in.bin",                                 // a regular file in: spliced from the page cache
                "$TEE a b < in.bin > out",                           // standard output a regular file
                "printf 'first\\n' > out; $TEE a < in.bin >> out",   // standard output opened O_APPEND: copied
                "$TEE a - b < in.bin",                               // '-' is a file, as for tee
                ": | $TEE empty",                                    // no input: the files are created empty
                "$TEE < in.bin",                                     // no FILE
                "printf 'x\\n' | $TEE a a");                         // the same file twice
    }

    @Test
    void appendAppendsAndWithoutItTheFilesAreTruncated(@TempDir Path dir) throws Exception {
        Setup old = dir2 -> {
            input(random(1 << 20, 2)).in(dir2);
            Files.writeString(dir2.resolve("a"), "old line, longer than the new one\n");
            Files.writeString(dir2.resolve("b"), "old b\n");
        };
        sameAsTee(dir, old,
                "printf 'new\\n' | $TEE -a a",
                "printf 'new\\n' | $TEE --append a b",
                "printf 'new\\n' | $TEE --app a new",
                "printf 'new\\n' | $TEE a",                      // truncated
                "printf 'new\\n' | $TEE a -a b",                 // options after a FILE count too
                "printf 'new\\n' | POSIXLY_CORRECT=1 $TEE a -a", // ... unless POSIXLY_CORRECT: a file named -a
                "printf 'new\\n' | $TEE -ai a",
                "printf 'new\\n' | $TEE -pia b",
                "$TEE -a a b < in.bin; $TEE -a a < in.bin");
    }

    @Test
    void doubleDashEndsTheOptions(@TempDir Path dir) throws Exception {
        sameAsTee(dir, NOTHING,
                "printf 'x\\n' | $TEE -- -a -i",
                "printf 'x\\n' | $TEE -a -- -p --help -z",
                "printf 'x\\n' | $TEE a -- --",
                "printf 'x\\n' | $TEE --");
    }

    @Test
    void helpAndVersionGoToStandardOutputWithStatusZero(@TempDir Path dir) throws Exception {
        for (String args : List.of("--help", "--he", "--help -z out", "out --help")) {
            String script = "printf 'x\\n' | $TEE " + args;
            Outcome[] r = both(dir, "help" + args.replaceAll("\\W", "_"), NOTHING, script);
            for (Outcome o : r) {
                assertEquals(0, o.status, script + ": " + o);
                assertEquals("", o.stderr, script);
                assertEquals(Map.of(), o.files, "--help opens no FILE: " + script);
            }
            List<String> gnu = r[0].out().lines().collect(Collectors.toList());
            List<String> ours = r[1].out().lines().collect(Collectors.toList());
            assertEquals("Usage: tee [OPTION]... [FILE]...", gnu.get(0));
            assertEquals("Usage: vmtee [OPTION]... [FILE]...", ours.get(0), r[1].out());
            // Every option and mode line of tee's help is in vmtee's (whose --version also reads -V).
            for (String line : gnu.subList(1, gnu.indexOf("GNU coreutils online help: <https://www.gnu.org/software/coreutils/>"))) {
                String expected = line.equals("      --version     output version information and exit")
                        ? "  -V, --version     output version information and exit" : line;
                assertTrue(ours.contains(expected), "vmtee --help lacks [" + expected + "]:\n" + r[1].out());
            }
        }
        for (String args : List.of("--version", "--vers", "--version --bogus out")) {
            String script = "printf 'x\\n' | $TEE " + args;
            Outcome[] r = both(dir, "version" + args.replaceAll("\\W", "_"), NOTHING, script);
            assertTrue(r[0].out().startsWith("tee (GNU coreutils) "), r[0].out());
            assertTrue(r[1].out().matches("vmtee \\(jsplice samples\\) \\S.*\n"), r[1].out());
            for (Outcome o : r) {
                assertEquals(0, o.status, script + ": " + o);
                assertEquals("", o.stderr, script);
                assertEquals(Map.of(), o.files, script);
            }
        }
    }

    @Test
    void aBadOptionExitsWithStatusOneAndSaysWhatGetoptSays(@TempDir Path dir) throws Exception {
        sameAsTee(dir, NOTHING,
                "printf 'x\\n' | $TEE -z out",
                "printf 'x\\n' | $TEE -az out",
                "printf 'x\\n' | $TEE -pz out",
                "printf 'x\\n' | $TEE -z --help",
                "printf 'x\\n' | $TEE out --bogus",
                "printf 'x\\n' | $TEE --bogus=1 out",
                "printf 'x\\n' | $TEE --h=x out",
                "printf 'x\\n' | $TEE --app=x out",
                "printf 'x\\n' | $TEE --ignore-interrupts=yes out",
                "printf 'x\\n' | $TEE --output-error=foo out",
                "printf 'x\\n' | $TEE --output-error=w out",
                "printf 'x\\n' | $TEE --output-error= out",
                "printf 'x\\n' | $TEE --output-error=exi out",
                "printf 'x\\n' | $TEE --output-error=warn-nopipe=x out",
                "printf 'x\\n' | $TEE --output-error=$'a\\nb\\'c\\\\' out",
                "printf 'x\\n' | $TEE --=x out",
                "printf 'x\\n' | LC_ALL=C.UTF-8 $TEE --output-error=bad out",  // quoted as the locale quotes
                "printf 'x\\n' | $TEE --output-error=warn- out",              // an abbreviation that is not ambiguous
                "printf 'x\\n' | $TEE --output-error=exit- --ign --outp out");
    }

    @Test
    void aFileThatCannotBeOpenedIsReportedAndTheOthersStillGetEverything(@TempDir Path dir) throws Exception {
        Setup setup = d -> {
            input(random(2 << 20, 3)).in(d);
            Files.createDirectory(d.resolve("dir"));
            Files.writeString(d.resolve("f"), "a file\n");
        };
        sameAsTee(dir, setup,
                "$TEE nodir/x a < in.bin",
                "cat in.bin | $TEE a dir b",
                "printf 'x\\n' | $TEE dir/ f/ newf/ nodir/x/ f/x dir// a",
                "printf 'x\\n' | $TEE -a nodir/x a --output-error=warn",
                "printf 'x\\n' | $TEE -a a nodir/x b --output-error=exit",        // exit: tee ends at the open
                "printf 'x\\n' | $TEE a nodir/x b --output-error=exit-nopipe",
                "printf 'x\\n' | $TEE 'no/a b' \"no/it's\" $'no/x\\ny' 'no/a:b' '~no/x' 'no/~x' '' 'no/{' 'no/?' 'no/a=b' a",
                "printf 'x\\n' | $TEE \"no/it's\"$'\\x7f' \"no/it's a\" \"no/it's\\$x\" $'no/\\t\\x01' 'no/a\\b' 'no/a@,%+' a");
    }

    @Test
    void aReadErrorIsReportedAsTeeReportsIt(@TempDir Path dir) throws Exception {
        sameAsTee(dir, d -> Files.createDirectory(d.resolve("dir")),
                "$TEE a < dir",
                "$TEE -a a b < dir");
    }

    @Test
    void outputErrorModesTreatAFailingFileAsTeeDoes(@TempDir Path dir) throws Exception {
        List<String> scripts = new ArrayList<>();
        for (String mode : List.of("", "-p", "--output-error", "--output-error=warn", "--output-error=warn-nopipe")) {
            scripts.add("printf 'data\\n' | $TEE " + mode + " a /dev/full b");
        }
        for (String mode : List.of("--output-error=exit", "--output-error=exit-nopipe", "--output-error=warn -p --output-error=exit")) {
            scripts.add("printf 'data\\n' | $TEE " + mode + " a /dev/full"); // tee ends at /dev/full: no FILE after it
        }
        // An endless input: exit and exit-nopipe end at the first failure; warn carries on to the time-out.
        scripts.add("yes | timeout 30 $TEE --output-error=exit /dev/full > /dev/null; echo ${PIPESTATUS[@]}");
        scripts.add("yes | timeout 30 $TEE --output-error=exit-nopipe a /dev/full > /dev/null; echo ${PIPESTATUS[@]}; rm a");
        // Standard output itself failing (not a pipe): reported, in every mode (exit: no FILE after it).
        for (String mode : List.of("", "-p")) {
            scripts.add("printf 'data\\n' | $TEE " + mode + " a > /dev/full");
        }
        scripts.add("printf 'data\\n' | $TEE --output-error=exit > /dev/full");
        for (String mode : List.of("", "--output-error=warn", "-p")) {
            scripts.add("{ echo 1; while :; do echo x; sleep 0.05; done; } | timeout 8 $TEE " + mode
                    + " /dev/full > /dev/null; echo ${PIPESTATUS[@]}");
        }
        sameAsTee(dir, NOTHING, scripts.toArray(new String[0]));
    }

    /** The bound on a pipeline that must end by itself. */
    private static final int ENDS_WITHIN_SECONDS = 60;

    /** A run of {@code script} that must end within the bound; stdout is PIPESTATUS. */
    private static Outcome[] pipeline(Path dir, String name, String script) throws Exception {
        Outcome[] r = both(dir, name, NOTHING, "set -o pipefail; " + script + "; echo ${PIPESTATUS[@]}", ENDS_WITHIN_SECONDS);
        for (Outcome o : r) {
            assertFalse(o.status == 137, "killed after " + ENDS_WITHIN_SECONDS + " s, it never ended: " + script + ": " + o);
        }
        return r;
    }

    @Test
    void aReaderOfStandardOutputThatGoesAwayEndsVmteeWith141EvenOnAnEndlessInput(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        Outcome[] r = pipeline(dir, "devnull", "yes | $TEE /dev/null | head -c 1 > /dev/null");
        assertEquals("141 141 0\n", r[0].out(), "tee: " + r[0]);
        assertEquals("141 141 0\n", r[1].out(), "vmtee: " + r[1]);
        assertEquals("", r[1].stderr, "silent, as tee killed by SIGPIPE");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(ENDS_WITHIN_SECONDS), "it ended, but late");

        // Into a file: what had been read is there, and no more comes after the reader left.
        Outcome[] file = pipeline(dir, "file", "yes | $TEE out | head -c 1 > /dev/null");
        for (Outcome o : file) {
            assertEquals("141 141 0\n", o.out(), o.toString());
            byte[] out = o.files.get("out");
            assertTrue(out.length < 64 << 20, "it stopped writing: " + out.length);
            for (int i = 0; i < out.length; i++) {
                if (out[i] != (i % 2 == 0 ? 'y' : '\n')) {
                    org.junit.jupiter.api.Assertions.fail("byte " + i + " is not what yes wrote: " + o);
                }
            }
        }
    }

    @Test
    void withPAReaderThatGoesAwayIsLeftOutAndTheFilesGetEverything(@TempDir Path dir) throws Exception {
        // The file gets all 64 MiB although standard output's reader left after one byte.
        Outcome[] r = pipeline(dir, "p", "yes | head -c 64M | $TEE -p out | head -c 1 > /dev/null");
        same("-p into a file", r);
        assertEquals("141 0 0 0\n", r[1].out(), r[1].toString());
        assertEquals(64 << 20, r[1].files.get("out").length);
        // With no output left, vmtee ends as tee does: at once, and with status 0.
        same("-p, nothing left", pipeline(dir, "none", "yes | $TEE -p | head -c 1 > /dev/null"));
        same("warn, nothing left", pipeline(dir, "warn", "yes | $TEE --output-error=warn | head -c 1 > /dev/null"));
        same("exit-nopipe, nothing left", pipeline(dir, "exitnopipe", "yes | $TEE --output-error=exit-nopipe | head -c 1 > /dev/null"));
        same("exit", pipeline(dir, "exit", "yes | $TEE --output-error=exit /dev/null | head -c 1 > /dev/null"));
    }

    @Test
    void onAnEndlessInputTheModesThatGoOnKeepWritingTheFileAfterTheReaderLeft(@TempDir Path dir) throws Exception {
        // Line 1, then (once the file shows that tee runs) a line every 100 ms until tee is gone.
        String producer = "{ echo 1; while [ ! -s out ]; do sleep 0.02; done; i=2; while :; do echo $i; i=$((i+1)); sleep 0.1; done; }";
        List<String> modes = List.of("", "--output-error=exit", "-p", "--output-error", "--output-error=warn",
                "--output-error=warn-nopipe", "--output-error=exit-nopipe");
        List<String> endless = List.of("-p", "--output-error", "--output-error=warn", "--output-error=warn-nopipe",
                "--output-error=exit-nopipe");
        ExecutorService pool = Executors.newFixedThreadPool(modes.size());
        try {
            List<Future<Outcome[]>> runs = new ArrayList<>();
            for (String mode : modes) {
                String script = producer + " | timeout 10 $TEE " + mode + " out | head -c 1 > /dev/null; echo ${PIPESTATUS[@]}";
                runs.add(pool.submit(() -> both(dir, "mode" + mode.replaceAll("\\W", "_"), NOTHING, script)));
            }
            for (int m = 0; m < modes.size(); m++) {
                Outcome[] r = runs.get(m).get();
                String mode = modes.get(m);
                assertEquals(r[0].out(), r[1].out(), "PIPESTATUS with [" + mode + "]: tee " + r[0] + "\n vmtee " + r[1]);
                assertEquals(asVmtee(r[0].stderr), r[1].stderr, mode);
                boolean goesOn = endless.contains(mode);
                assertEquals(goesOn ? "141 124 0\n" : mode.isEmpty() ? "141 141 0\n" : "141 1 0\n", r[1].out(), mode);
                for (Outcome o : r) {
                    List<String> lines = new String(o.files.get("out"), StandardCharsets.US_ASCII).lines().collect(Collectors.toList());
                    for (int i = 0; i < lines.size(); i++) {
                        assertEquals(String.valueOf(i + 1), lines.get(i), "line " + (i + 1) + " with [" + mode + "]");
                    }
                    if (goesOn) {
                        assertTrue(lines.size() >= 30, "[" + mode + "] went on writing the file: " + lines.size() + " lines, " + o);
                    } else {
                        assertTrue(lines.size() <= 10, "[" + mode + "] stopped when the reader left: " + lines.size() + " lines, " + o);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void itEndsWhenTeeEndsNotAtTheNextInput(@TempDir Path dir) throws Exception {
        // The producer writes line 2 once the reader has gone (head has exited and the shell around
        // it has closed its end too), then waits for tee to end: tee ends at that write (or at
        // once), and a vmtee that waited for more input would time out (124).
        String untilDone = "while [ ! -e done ]; do sleep 0.05; done; } 2>/dev/null";
        List<String> scripts = new ArrayList<>();
        for (String mode : List.of("", "-p", "--output-error=warn", "--output-error=exit", "--output-error=exit-nopipe")) {
            scripts.add("{ echo 1; while [ ! -e gone ]; do sleep 0.02; done; echo 2; " + untilDone
                    + " | { timeout 20 $TEE " + mode + "; echo $? > status; : > done; } | { head -c 1 > /dev/null; exec 0<&-; : > gone; }; "
                    + "cat status; rm status done gone");
        }
        for (String mode : List.of("--output-error=exit", "--output-error=exit-nopipe")) {
            scripts.add("{ echo 1; " + untilDone + " | { timeout 20 $TEE " + mode + " out /dev/full; echo $? > status; : > done; } "
                    + "> /dev/null; cat status; rm status done");
        }
        sameAsTee(dir, NOTHING, scripts.toArray(new String[0]));
    }

    @Test
    void ignoreInterruptsKeepsSigintFromEndingIt(@TempDir Path dir) throws Exception {
        // SIGINT once the file shows it runs; then the rest of the input. A background job of a shell
        // has SIGINT ignored: env gives it back its default first, for tee and for the JVM alike.
        List<String> options = List.of("", "-i", "--ignore-interrupts", "-ai", "--ign -p");
        ExecutorService pool = Executors.newFixedThreadPool(options.size());
        try {
            List<Future<Outcome[]>> runs = new ArrayList<>();
            for (String option : options) {
                String script = "{ echo before; while [ ! -e go ]; do sleep 0.05; done; echo after; } "
                        + "| env --default-signal=INT $TEE " + option + " out > /dev/null & pid=$!; "
                        + "for i in $(seq 1200); do [ -s out ] && break; sleep 0.05; done; "
                        + "kill -INT $pid; sleep 1; : > go; wait $pid; echo $?; rm go";
                runs.add(pool.submit(() -> both(dir, "int" + option.replaceAll("\\W", "_"), NOTHING, script)));
            }
            for (int i = 0; i < options.size(); i++) {
                Outcome[] r = runs.get(i).get();
                String option = options.get(i);
                same(option, r);
                boolean ignores = !option.isEmpty();
                assertEquals(ignores ? "0\n" : "130\n", r[1].out(), "status after SIGINT with [" + option + "]: " + r[1]);
                assertEquals(ignores ? "before\nafter\n" : "before\n", new String(r[1].files.get("out"), StandardCharsets.US_ASCII),
                        option);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesInMessagesAreQuotedAsCoreutilsQuoteThem() {
        assertEquals("plain/name-1.txt", VmTee.Quoting.quotef("plain/name-1.txt"));
        assertEquals("'a b'", VmTee.Quoting.quotef("a b"));
        assertEquals("''", VmTee.Quoting.quotef(""));
        assertEquals("\"it's\"", VmTee.Quoting.quotef("it's"));
        assertEquals("'it'\\''s$'", VmTee.Quoting.quotef("it's$"));
        assertEquals("'x'$'\\n''y'", VmTee.Quoting.quotef("x\ny"));
        assertEquals("'a:b'", VmTee.Quoting.quotef("a:b"));
        assertEquals("x~#{", VmTee.Quoting.quotef("x~#{"));
        assertEquals("'~x'", VmTee.Quoting.quotef("~x"));
        assertEquals("'{'", VmTee.Quoting.quotef("{"));
    }
}
