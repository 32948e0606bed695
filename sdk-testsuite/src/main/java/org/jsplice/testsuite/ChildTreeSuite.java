package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;
import org.jsplice.process.ChildRunException;
import org.jsplice.process.ChildRunException.Side;
import org.jsplice.process.ExitStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run owns its process tree: children in a group of their own, the whole group ended on a
 * timeout, a failure, an interrupt and at the JVM's exit; a death by signal told from an exit code;
 * a grandchild that holds a pipe open holds the run only for the wait delay; bad input refused with
 * nothing left open and no child alive. Real programs ({@code sh}, {@code sleep}, {@code cat}).
 */
@Timeout(120)
public abstract class ChildTreeSuite extends ProviderSuite {
    private static final Duration GRACE = Duration.ofMillis(500);

    @TempDir
    Path dir;

    /** Whether {@code pid} is a live process (a zombie is dead). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    /** Waits until {@code file} holds a pid (the shell writes it), and returns it. */
    static long pidIn(Path file) throws IOException {
        for (int i = 0; i < 10_000; i++) {
            if (Files.exists(file)) {
                String s = Files.readString(file).trim();
                if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(s);
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("no pid in " + file);
    }

    /** Asserts that every pid is gone within {@code within}. */
    static void allGone(List<Long> pids, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (long pid : pids) {
            while (alive(pid)) {
                assertTrue(System.nanoTime() < deadline, "process " + pid + " of the tree is still alive");
                LockSupport.parkNanos(5_000_000);
            }
        }
    }

    /**
     * A child that starts a grandchild and, in a subshell, a great-grandchild, writing their pids,
     * and then sleeps.
     */
    private ProcessBuilder tree() {
        Path g = dir.resolve("grandchild.pid");
        Path gg = dir.resolve("great-grandchild.pid");
        return new ProcessBuilder("sh", "-c", "sleep 60 & echo $! > '" + g + "'; (sleep 60 & echo $! > '" + gg + "'; wait) & sleep 60; wait");
    }

    private List<Long> treePids() throws IOException {
        return List.of(pidIn(dir.resolve("grandchild.pid")), pidIn(dir.resolve("great-grandchild.pid")));
    }

    @Test
    void aDeathBySignalIsToldApartFromExit137() {
        ChildRunException killed = assertThrows(ChildRunException.class,
                () -> ChildRun.of(new ProcessBuilder("sh", "-c", "kill -KILL $$")).run());
        ExitStatus s = killed.statuses().get(0);
        assertTrue(s.isSignaled(), s.toString());
        assertEquals(9, s.signal());
        assertEquals("killed by SIGKILL (9)", s.toString());
        assertTrue(killed.getMessage().contains("killed by SIGKILL (9)"), killed.getMessage());
        assertEquals(List.of(137), killed.exitStatuses(), "the shell's way stays available");

        ChildRunException exited = assertThrows(ChildRunException.class,
                () -> ChildRun.of(new ProcessBuilder("sh", "-c", "exit 137")).run());
        ExitStatus e = exited.statuses().get(0);
        assertTrue(e.isExited(), e.toString());
        assertEquals(137, e.code());
        assertEquals(0, e.signal());
        assertEquals("exit 137", e.toString());
        assertNotEquals(s, e);
    }

    @Test
    void aPipelineFailsOnTheRightmostFailureAndNamesEachStatus() {
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.pipeline(
                new ProcessBuilder("sh", "-c", "exit 3"), new ProcessBuilder("sh", "-c", "kill -TERM $$")).run());
        assertEquals(List.of(ExitStatus.exited(3), ExitStatus.killed(15, false)), e.statuses());
        assertTrue(e.getMessage().contains("[exit 3, killed by SIGTERM (15)]"), e.getMessage());
    }

    @Test
    void theChildrenOfARunShareAProcessGroupOfTheirOwn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Field 5 of /proc/PID/stat is the process group.
        ChildRun.Result r = ChildRun.pipeline(new ProcessBuilder("sh", "-c", "cut -d' ' -f5 /proc/$$/stat; cat"),
                new ProcessBuilder("sh", "-c", "cut -d' ' -f5 /proc/$$/stat; cat")).output(ChildOutput.stream(out)).run();
        String[] groups = out.toString(StandardCharsets.US_ASCII).trim().split("\\s+");
        assertEquals(2, groups.length, out.toString());
        long first = r.pids().get(0);
        assertEquals(String.valueOf(first), groups[0], "the first child leads the group");
        assertEquals(String.valueOf(first), groups[1], "the second child joins it");
        String jvmGroup = Files.readString(Path.of("/proc/self/stat")).split(" ")[4];
        assertNotEquals(jvmGroup, groups[0]);
    }

    @Test
    void aChildStartsWithDefaultSignalsAndNoDescriptorButItsThree() throws Exception {
        // SigIgn and SigBlk of the child's own /proc/self/status: the JVM ignores SIGPIPE and
        // blocks signals on some of its threads; a child must start with neither.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.of(new ProcessBuilder("grep", "-E", "^(SigIgn|SigBlk)", "/proc/self/status")).output(ChildOutput.stream(out)).run();
        String text = out.toString(StandardCharsets.US_ASCII);
        assertTrue(text.contains("SigBlk:\t0000000000000000"), text);
        assertTrue(text.contains("SigIgn:\t0000000000000000"), text);
        ByteArrayOutputStream fds = new ByteArrayOutputStream();
        ChildRun.of(new ProcessBuilder("ls", "/proc/self/fd")).output(ChildOutput.stream(fds)).run();
        List<String> open = new ArrayList<>(fds.toString(StandardCharsets.US_ASCII).lines().toList());
        open.remove("3"); // ls's own directory descriptor
        assertEquals(List.of("0", "1", "2"), open, fds.toString());
    }

    @Test
    void aTimeoutEndsTheWholeTreeWithinTheGracePeriod() throws Exception {
        long start = System.nanoTime();
        ChildRunException e = assertThrows(ChildRunException.class,
                () -> ChildRun.of(tree()).timeout(Duration.ofSeconds(1)).gracePeriod(GRACE).run());
        long took = System.nanoTime() - start;
        assertEquals(Side.TIMEOUT, e.side());
        assertEquals(ExitStatus.killed(15, false), e.statuses().get(0));
        assertEquals("SIGTERM", e.result().signalsSent().get(0));
        assertTrue(e.getMessage().contains("SIGTERM"), e.getMessage());
        allGone(treePids(), GRACE.multipliedBy(2));
        assertTrue(took < Duration.ofSeconds(6).toNanos(), "the timeout of 1 s took " + took / 1_000_000 + " ms");
    }

    @Test
    void aChildThatIgnoresSigtermGetsSigkillAfterTheGracePeriod() {
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(
                new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"))
                .timeout(Duration.ofMillis(500)).gracePeriod(GRACE).run());
        assertEquals(ExitStatus.killed(9, false), e.statuses().get(0));
        assertEquals(List.of("SIGTERM", "SIGKILL"), e.result().signalsSent());
    }

    @Test
    void aFailingOutputEndsTheWholeTree() throws Exception {
        IOException boom = new IOException("no space left");
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "sleep 60 & echo $! > '" + dir.resolve("grandchild.pid")
                + "'; (sleep 60 & echo $! > '" + dir.resolve("great-grandchild.pid") + "'; wait) & sleep 0.2; echo data; sleep 60");
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(b).gracePeriod(GRACE)
                .output(ChildOutput.buffers(buf -> {
                    throw boom;
                })).run());
        assertEquals(Side.OUTPUT, e.side());
        assertEquals(boom, e.getCause());
        allGone(treePids(), GRACE.multipliedBy(2));
    }

    @Test
    void anInterruptEndsTheWholeTree() throws Exception {
        assertTreeEndsOnInterrupt(false);
    }

    @Test
    void anInterruptOfAVirtualThreadEndsTheWholeTree() throws Exception {
        Assumptions.assumeTrue(Loom.available(), Loom.REASON);
        assertTreeEndsOnInterrupt(true);
    }

    private void assertTreeEndsOnInterrupt(boolean virtual) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Runnable body = () -> {
            try {
                outcome.set(ChildRun.of(tree()).gracePeriod(GRACE).run());
            } catch (Throwable t) {
                outcome.set(t);
            }
            flag.set(Thread.currentThread().isInterrupted());
        };
        Thread t = virtual ? Loom.unstarted(body) : new Thread(body);
        t.start();
        List<Long> pids = treePids();
        long start = System.nanoTime();
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "the run did not end on interrupt");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertTrue(outcome.get() instanceof ChildRunException, String.valueOf(outcome.get()));
        assertEquals(Side.INTERRUPT, ((ChildRunException) outcome.get()).side());
        assertTrue(flag.get(), "the interrupt status is set again");
        allGone(pids, GRACE.multipliedBy(2));
    }

    @Test
    void aGrandchildHoldingStandardOutputHoldsTheRunOnlyForTheWaitDelay() throws Exception {
        for (boolean withTimeout : new boolean[] {false, true}) {
            Path pid = dir.resolve("sleep-" + withTimeout + ".pid");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChildRun run = ChildRun.of(new ProcessBuilder("sh", "-c", "sleep 30 & echo $! > '" + pid + "'; echo hi"))
                    .output(ChildOutput.stream(out)).waitDelay(Duration.ofMillis(300)).gracePeriod(GRACE);
            if (withTimeout) {
                run = run.timeout(Duration.ofSeconds(20));
            }
            long start = System.nanoTime();
            ChildRun.Result r = run.run();
            long took = System.nanoTime() - start;
            assertTrue(took < Duration.ofSeconds(5).toNanos(), "took " + took / 1_000_000 + " ms");
            assertEquals("hi\n", out.toString(StandardCharsets.US_ASCII));
            assertEquals(List.of(ExitStatus.exited(0)), r.statuses());
            assertTrue(r.outputCut(), r.toString());
            assertEquals("SIGTERM", r.signalsSent().get(0), r.toString());
            allGone(List.of(pidIn(pid)), GRACE.multipliedBy(2));
        }
    }

    @Test
    void aGrandchildHoldingStandardErrorIsCutToo() throws Exception {
        Path pid = dir.resolve("sleep.pid");
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("sh", "-c", "sleep 30 >/dev/null & echo $! > '" + pid + "'; echo oops >&2"))
                .waitDelay(Duration.ofMillis(300)).gracePeriod(GRACE).run();
        assertEquals(List.of(true), r.stderrCut());
        assertFalse(r.outputCut());
        assertEquals("oops\n", r.stderr().get(0));
        allGone(List.of(pidIn(pid)), GRACE.multipliedBy(2));
    }

    @Test
    void aRunThatEndsCleanlySendsNoSignal() throws Exception {
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("cat")).input(ChildInput.bytes("x".getBytes(StandardCharsets.US_ASCII))).run();
        assertEquals(List.of(), r.signalsSent());
        assertFalse(r.outputCut());
        assertEquals(List.of(false), r.stderrCut());
    }

    @Test
    void standardErrorMergesIntoStandardOutputWhenTheBuilderAsks() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.Result r = ChildRun.of(new ProcessBuilder("sh", "-c", "echo out; echo err >&2").redirectErrorStream(true))
                .output(ChildOutput.stream(out)).run();
        assertEquals("out\nerr\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals("", r.stderr().get(0));
    }

    @Test
    void standardErrorGoesToTheBuildersFile() throws Exception {
        Path err = dir.resolve("err.txt");
        Files.writeString(err, "before\n");
        ChildRun.of(new ProcessBuilder("sh", "-c", "echo appended >&2").redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))).run();
        assertEquals("before\nappended\n", Files.readString(err));
        ChildRun.of(new ProcessBuilder("sh", "-c", "echo fresh >&2").redirectError(err.toFile())).run();
        assertEquals("fresh\n", Files.readString(err));
    }

    @Test
    void linesAreHandedOverOneByOne() throws Exception {
        List<String> lines = new ArrayList<>();
        ChildRun.of(new ProcessBuilder("printf", "a\\nb\\r\\n\\nlast"))
                .output(ChildOutput.lines(StandardCharsets.UTF_8, lines::add)).run();
        assertEquals(List.of("a", "b", "", "last"), lines);
        assertThrows(IllegalArgumentException.class, () -> ChildOutput.lines(StandardCharsets.UTF_16, lines::add));
    }

    @Test
    void theDirectoryEnvironmentAndArgumentsOfTheBuilderAreTheChilds() throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", "pwd; echo \"$JSPLICE_TEST\"; echo \"$1\"", "sh", "an argument with spaces")
                .directory(dir.toFile());
        b.environment().put("JSPLICE_TEST", "from the builder");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.of(b).output(ChildOutput.stream(out)).run();
        assertEquals(dir.toRealPath() + "\nfrom the builder\nan argument with spaces\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputIsRefusedWithNothingLeftOpenAndNoChildAlive() throws Exception {
        ChildRun.of(new ProcessBuilder("true")).run(); // the pools and pollers exist before the count
        int fds = org.jsplice.testkit.Descriptors.openNumbers().size();
        IOException missing = assertThrows(IOException.class, () -> ChildRun.of(new ProcessBuilder("jsplice-no-such-program")).run());
        assertTrue(missing.getMessage().contains("jsplice-no-such-program") && missing.getMessage().contains("No such file"),
                missing.getMessage());
        IOException missingInPipeline = assertThrows(IOException.class, () -> ChildRun.pipeline(new ProcessBuilder("sleep", "30"),
                new ProcessBuilder("jsplice-no-such-program")).run());
        assertTrue(missingInPipeline.getMessage().contains("jsplice-no-such-program"), missingInPipeline.getMessage());
        IOException noDir = assertThrows(IOException.class,
                () -> ChildRun.of(new ProcessBuilder("true").directory(dir.resolve("nowhere").toFile())).run());
        assertTrue(noDir.getMessage().contains("nowhere") && noDir.getMessage().contains("does not exist"), noDir.getMessage());
        IOException noErrDir = assertThrows(IOException.class, () -> ChildRun.of(new ProcessBuilder("true")
                .redirectError(dir.resolve("nowhere/err.txt").toFile())).run());
        assertTrue(noErrDir.getMessage().contains("nowhere"), noErrDir.getMessage());
        ChildRunException noInput = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("cat"))
                .input(ChildInput.file(dir.resolve("no-such-input"))).run());
        assertEquals(Side.INPUT, noInput.side());
        assertTrue(noInput.getCause() instanceof NoSuchFileException || noInput.getMessage().contains("no-such-input"),
                noInput.getMessage());
        ChildRunException noOutputDir = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("echo", "x"))
                .output(ChildOutput.file(dir.resolve("nowhere/out.txt"))).run());
        assertEquals(Side.OUTPUT, noOutputDir.side());
        assertTrue(noOutputDir.getMessage().contains("nowhere"), noOutputDir.getMessage());
        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("cat")
                .redirectOutput(dir.resolve("x").toFile())).run());
        assertTrue(conflict.getMessage().contains("standard output"), conflict.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("cat")
                .redirectInput(ProcessBuilder.Redirect.INHERIT)).run());
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("true")).timeout(bad));
            assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("true")).gracePeriod(bad));
            assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("true")).waitDelay(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> ChildRun.of(new ProcessBuilder("true")).stderrLimit(-1));
        assertEquals(fds, org.jsplice.testkit.Descriptors.openNumbers().size(), "descriptors left open");
        assertEquals(0, ProcessHandle.current().children().count(), "children left behind");
    }

    @Test
    void aThousandRunsLeaveNoDescriptorThreadOrProcessBehind() throws Exception {
        ChildRun run = ChildRun.of(new ProcessBuilder("cat")).input(ChildInput.bytes(new byte[4096]));
        run.run();
        int fds = org.jsplice.testkit.Descriptors.openNumbers().size();
        for (int i = 0; i < 1000; i++) {
            assertEquals(4096, run.run().bytesOut());
        }
        assertEquals(fds, org.jsplice.testkit.Descriptors.openNumbers().size(), "descriptors left open");
        assertEquals(0, ProcessHandle.current().children().count(), "children left behind");
        long runThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jsplice-run-")).count();
        assertTrue(runThreads <= 16, "the run threads are pooled: " + runThreads);
    }

    @Test
    void theExceptionKeepsItsResultThroughSerialization() throws Exception {
        ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("sh", "-c", "exit 4")).run());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(e);
        }
        ChildRunException back;
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ChildRunException) i.readObject();
        }
        assertNotNull(back.result());
        assertEquals(List.of(ExitStatus.exited(4)), back.statuses());
        assertEquals(Side.CHILD, back.side());
    }

    @Test
    void aJvmThatExitsWhileRunsGoOnLeavesNoChild() throws Exception {
        Path pids = dir.resolve("exiting");
        Files.createDirectories(pids);
        String out = ChildJvm.run(ExitingRunMain.class, "-D" + ExitingRunMain.DIR + "=" + pids, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.jsplice.provider=" + providerUnderTest().name());
        assertTrue(out.contains("exiting"), out);
        List<Long> all = new ArrayList<>();
        all.add(pidIn(pids.resolve("child.pid")));
        all.add(pidIn(pids.resolve("grandchild.pid")));
        allGone(all, Duration.ofSeconds(5));
    }

    /** As the JDK and execvp(3) do, a script without "#!" runs under /bin/sh (posix_spawnp says ENOEXEC). */
    @Test
    void aScriptWithoutAnInterpreterLineRunsUnderTheShell() throws Exception {
        Path script = dir.resolve("plain-script");
        Files.writeString(script, "echo from-script \"$1\"\n");
        script.toFile().setExecutable(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChildRun.of(new ProcessBuilder(script.toString(), "arg")).output(ChildOutput.stream(out)).run();
        assertEquals("from-script arg\n", out.toString(StandardCharsets.US_ASCII));
    }

    /** A relative file for standard error is the JVM's, as ProcessBuilder has it, not the child directory's. */
    @Test
    void aRelativeStandardErrorFileIsInTheJvmsDirectory() throws Exception {
        Path name = Path.of("target", "jsplice-relative-stderr-" + ProcessHandle.current().pid() + ".txt");
        Files.createDirectories(name.getParent());
        try {
            ChildRun.of(new ProcessBuilder("sh", "-c", "echo here >&2").directory(dir.toFile()).redirectError(name.toFile())).run();
            assertEquals("here\n", Files.readString(name));
            assertFalse(Files.exists(dir.resolve(name)));
        } finally {
            Files.deleteIfExists(name);
        }
    }

    @Test
    void aTimeoutOnAVirtualThreadEndsTheWholeTree() throws Exception {
        Assumptions.assumeTrue(Loom.available(), Loom.REASON);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = Loom.unstarted(() -> {
            try {
                outcome.set(ChildRun.of(tree()).timeout(Duration.ofSeconds(1)).gracePeriod(GRACE).run());
            } catch (Throwable x) {
                outcome.set(x);
            }
        });
        t.start();
        t.join(20_000);
        assertTrue(outcome.get() instanceof ChildRunException, String.valueOf(outcome.get()));
        assertEquals(Side.TIMEOUT, ((ChildRunException) outcome.get()).side());
        allGone(treePids(), GRACE.multipliedBy(2));
    }

    /** SIGTERM to the JVM runs its shutdown hooks: the tree of a run still going ends with it. */
    @Test
    void aJvmEndedBySigtermLeavesNoChild() throws Exception {
        Path pids = dir.resolve("terminated");
        Files.createDirectories(pids);
        java.util.List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-D" + ExitingRunMain.DIR + "=" + pids, "-D" + ExitingRunMain.WAIT + "=true",
                "-Dorg.jsplice.provider=" + providerUnderTest().name(), "-cp", System.getProperty("java.class.path"),
                ExitingRunMain.class.getName()));
        Process jvm = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("jvm.out").toFile()).start();
        List<Long> all = new ArrayList<>();
        all.add(pidIn(pids.resolve("child.pid")));
        all.add(pidIn(pids.resolve("grandchild.pid")));
        jvm.destroy(); // SIGTERM
        assertTrue(jvm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        allGone(all, Duration.ofSeconds(5));
    }

    /**
     * A side that fails at once cancels the others, some of which no thread has run yet: each must
     * still count as ended, or the run waits out its wait delay and more for sides that never were.
     */
    @Test
    void aFailureBeforeTheOtherSidesRunEndsTheRunPromptly() {
        IOException boom = new IOException("at once");
        long worst = 0;
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            ChildRunException e = assertThrows(ChildRunException.class, () -> ChildRun.of(new ProcessBuilder("cat"))
                    .input(stdin -> {
                        throw boom;
                    }).waitDelay(Duration.ofSeconds(5)).run());
            assertEquals(Side.INPUT, e.side());
            worst = Math.max(worst, System.nanoTime() - start);
        }
        assertTrue(worst < Duration.ofSeconds(4).toNanos(), "a run took " + worst / 1_000_000 + " ms");
    }
}
