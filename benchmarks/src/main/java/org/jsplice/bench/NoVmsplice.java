package org.jsplice.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.jsplice.testsuite.VmspliceRefusal;

/**
 * Runs a program in a JVM whose every thread fails {@code vmsplice(2)} with {@code EOPNOTSUPP}, the
 * kernel regime in which {@code vmsplice} is refused (a seccomp filter, or a kernel that refuses the
 * call): the filter is installed before any jsplice class runs, with {@code PR_SET_NO_NEW_PRIVS} and
 * {@code seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC)} ({@link VmspliceRefusal}), so that the JVM's threads that
 * exist already get it, and every thread started later inherits it. Children started from the JVM
 * inherit it too.
 *
 * <p>Prints its proof on standard error, one line starting {@code NOVMSPLICE}: what a raw {@code
 * vmsplice} of one byte into a new pipe returned on this thread and on a thread started after the
 * filter, how many of the process's threads {@code /proc/self/task/N/status} shows in seccomp's
 * filter mode, and what {@link org.jsplice.Pipes#vmspliceSemantics()} then says. {@link
 * VmspliceRefusal#rawVmsplice()} gives the same raw test for any later thread (a writer's).
 *
 * <pre>NoVmsplice MAIN-CLASS [ARG...]</pre>
 */
public final class NoVmsplice {
    /** {@code EOPNOTSUPP} on Linux: what a kernel whose {@code vmsplice} copies answers for {@code GIFT} or {@code NONBLOCK}. */
    static final int EOPNOTSUPP = 95;

    private NoVmsplice() {
    }

    public static void main(String[] args) throws Throwable {
        VmspliceRefusal.onEveryThread(EOPNOTSUPP);
        String main = args[0];
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        long[] other = new long[1];
        Thread t = new Thread(() -> other[0] = VmspliceRefusal.rawVmsplice());
        t.start();
        t.join();
        System.err.printf(Locale.ROOT, "NOVMSPLICE raw vmsplice main=%d thread=%d (-%d is EOPNOTSUPP); threads in seccomp filter mode: %s;"
                + " Pipes.vmspliceSemantics()=%s%n", VmspliceRefusal.rawVmsplice(), other[0], EOPNOTSUPP, filteredThreads(),
                org.jsplice.Pipes.vmspliceSemantics());
        Method m = Class.forName(main).getMethod("main", String[].class);
        try {
            m.invoke(null, (Object) rest);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code N of M}: the threads whose {@code /proc/self/task/T/status} reads {@code Seccomp: 2}, of all. */
    static String filteredThreads() throws IOException {
        int all = 0;
        int filtered = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Seccomp:")) {
                            all++;
                            if (line.substring(8).trim().equals("2")) {
                                filtered++;
                            }
                        }
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended while we looked
                }
            }
        }
        return filtered + " of " + all;
    }
}
