package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsplice.Errno;
import org.jsplice.Pipe;
import org.jsplice.PipeException;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.junit.jupiter.api.Test;

/**
 * Pipe sizes as a user without root sees them (the usual case in production): the test runs its
 * checks in a JVM of user {@code nobody} ({@code setpriv}), or in this one where it is not root
 * already, and skips, saying why, where neither is possible.
 */
public abstract class UnprivilegedPipeSizesSuite extends ProviderSuite {
    private static final long MAX = readLimit("pipe-max-size");
    private static final long SOFT_PAGES = readLimit("pipe-user-pages-soft");

    static long readLimit(String name) {
        try {
            return Long.parseLong(Files.readAllLines(Paths.get("/proc/sys/fs", name)).get(0).trim());
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean root() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // the effective uid
            }
        }
        return false;
    }

    @Test
    void sizesAreClampedOrRefusedNamingTheLimitForAUserWithoutPrivilege() throws Exception {
        assumeTrue(MAX > 0 && SOFT_PAGES > 0 && SOFT_PAGES < 1 << 20, "no readable pipe limits in /proc/sys/fs");
        if (!root()) {
            Checks.main(new String[0]);
            return;
        }
        assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv(1) is not installed: cannot run as nobody");
        // nobody cannot read root's home, where Maven keeps the jars: copy the class path somewhere it can.
        Path dir = Files.createTempDirectory("jsplice-nobody");
        try {
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path from = Paths.get(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = dir.resolve("cp" + i++ + (Files.isDirectory(from) ? "" : ".jar"));
                copy(from, to);
                entries.add(to.toString());
            }
            openUp(dir);
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all",
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.jsplice.provider=" + Pipes.provider().name(), "-cp", String.join(File.pathSeparator, entries),
                    Checks.class.getName()));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assumeTrue(!out.contains("setpriv: "), "setpriv could not switch users here: " + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("checked as uid 65534"), out);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void openUp(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** The checks, in a process without privilege. */
    public static final class Checks {
        public static void main(String[] args) throws Exception {
            List<Pipe> held = new ArrayList<>();
            try {
                // Above pipe-max-size: EPERM, naming the limit and its value.
                Pipe p = Pipes.open();
                held.add(p);
                PipeException e = expectRefusal(p, (int) MAX * 2);
                check(e.getMessage().contains("/proc/sys/fs/pipe-max-size=" + MAX), "the message names pipe-max-size: " + e);
                // A writer asking for more takes what it may have, and says so.
                PipeWriter w = PipeWriter.builder(p.sink()).pipeCapacity((int) MAX * 4).build();
                check(w.pipeCapacity() == MAX, "the writer's pipe: " + w.pipeCapacity());
                check(p.sink().capacity() == MAX, "the pipe: " + p.sink().capacity());
                check(w.toString().contains("asked " + MAX * 4), "the writer says so: " + w);
                w.close();
                // Past pipe-user-pages-soft (this user's pipes in all): growing is refused, naming the
                // soft limit, and new pipes open with 2 pages.
                int grown = 0;
                PipeException soft = null;
                while (soft == null && grown < SOFT_PAGES / 256 + 16) {
                    Pipe q = Pipes.open();
                    held.add(q);
                    try {
                        q.sink().capacity((int) MAX);
                        grown++;
                    } catch (PipeException refused) {
                        soft = refused;
                    }
                }
                check(soft != null && soft.errno() == Errno.EPERM, "growing past the soft limit is refused: grew " + grown);
                check(soft.getMessage().contains("/proc/sys/fs/pipe-user-pages-soft=" + SOFT_PAGES), "the message names the soft limit: " + soft);
                Pipe small = Pipes.open();
                held.add(small);
                check(small.sink().capacity() == 8192, "a new pipe past the soft limit holds 8 KiB: " + small.sink().capacity());
                PipeWriter past = PipeWriter.builder(small.sink()).pipeCapacity((int) MAX).build();
                check(past.pipeCapacity() == 8192 && past.toString().contains("refused"), "the writer keeps the pipe and says why: " + past);
                past.close();
                System.out.println("checked as uid " + uid() + ": pipe-max-size=" + MAX + ", soft limit after " + grown + " pipes of "
                        + MAX + " bytes");
            } finally {
                for (Pipe p : held) {
                    p.close();
                }
            }
        }

        private static PipeException expectRefusal(Pipe p, int bytes) throws IOException {
            try {
                p.sink().capacity(bytes);
            } catch (PipeException e) {
                check(e.errno() == Errno.EPERM, "EPERM: " + e);
                return e;
            }
            throw new AssertionError("capacity(" + bytes + ") was granted: is this process privileged?");
        }

        private static String uid() throws IOException {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2];
                }
            }
            return "?";
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new AssertionError(what);
            }
        }
    }
}
