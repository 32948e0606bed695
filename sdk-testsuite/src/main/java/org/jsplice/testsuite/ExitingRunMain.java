package org.jsplice.testsuite;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsplice.process.ChildRun;

/**
 * A JVM that exits while a run goes on: the run's child and grandchild write their pids into the
 * directory given by {@code -Djsplice.test.dir}, and the JVM calls {@code System.exit} while they
 * sleep. Its exit must end their tree ({@link ChildTreeSuite}).
 */
public final class ExitingRunMain {
    static final String DIR = "jsplice.test.dir";
    /** With {@code -Djsplice.test.wait=true} the JVM does not exit by itself: it waits to be signalled. */
    static final String WAIT = "jsplice.test.wait";

    private ExitingRunMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty(DIR));
        Thread runner = new Thread(() -> {
            try {
                ChildRun.of(new ProcessBuilder("sh", "-c", "echo $$ > '" + dir.resolve("child.pid") + "'; sleep 60 & echo $! > '"
                        + dir.resolve("grandchild.pid") + "'; sleep 60")).run();
            } catch (Exception e) {
                // the JVM is exiting
            }
        });
        runner.setDaemon(true);
        runner.start();
        for (int i = 0; i < 10_000 && !(Files.exists(dir.resolve("grandchild.pid")) && Files.size(dir.resolve("grandchild.pid")) > 0); i++) {
            Thread.sleep(1);
        }
        if (Boolean.getBoolean(WAIT)) {
            System.out.println("waiting for a signal");
            Thread.sleep(120_000);
        }
        System.out.println("exiting");
        System.exit(0);
    }
}
