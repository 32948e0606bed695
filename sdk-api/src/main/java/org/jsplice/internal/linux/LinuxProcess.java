package org.jsplice.internal.linux;

import static org.jsplice.internal.linux.Linux.CLD_DUMPED;
import static org.jsplice.internal.linux.Linux.CLD_KILLED;
import static org.jsplice.internal.linux.Linux.O_APPEND;
import static org.jsplice.internal.linux.Linux.O_CREAT;
import static org.jsplice.internal.linux.Linux.O_TRUNC;
import static org.jsplice.internal.linux.Linux.O_WRONLY;
import static org.jsplice.internal.linux.Linux.POLLIN;
import static org.jsplice.internal.linux.Linux.POSIX_SPAWN_SETPGROUP;
import static org.jsplice.internal.linux.Linux.POSIX_SPAWN_SETSIGDEF;
import static org.jsplice.internal.linux.Linux.POSIX_SPAWN_SETSIGMASK;
import static org.jsplice.internal.linux.Linux.P_PID;
import static org.jsplice.internal.linux.Linux.SI_CODE;
import static org.jsplice.internal.linux.Linux.SI_PID;
import static org.jsplice.internal.linux.Linux.SI_STATUS;
import static org.jsplice.internal.linux.Linux.WEXITED;
import static org.jsplice.internal.linux.Linux.WNOHANG;
import static org.jsplice.internal.linux.Linux.WNOWAIT;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsplice.Errno;
import org.jsplice.PipeException;
import org.jsplice.spi.PipeProvider;
import org.jsplice.spi.SystemCalls;

/**
 * A child process that the core started itself, with {@code posix_spawnp(3)}, and the descriptor
 * ({@code pidfd_open(2)}) through which it waits for the child's exit as it waits for a pipe: in
 * {@code poll(2)} on a platform thread, parked on the poller on a virtual thread, ended by {@link
 * #close()} and {@link Thread#interrupt()} (which closes it, as on every channel).
 *
 * <p>The child starts in a process group of its own or in the group given (so that a run can end its
 * whole tree with one signal), with every signal at its default action and none blocked (the JVM
 * ignores {@code SIGPIPE}; a child must not inherit that), its standard streams as asked and no other
 * descriptor of the JVM's: {@code posix_spawn_file_actions_addclosefrom_np(3)} closes them all in the
 * child, whatever their close-on-exec flag.
 *
 * <p>Its exit is read with {@code waitid(WNOWAIT)}, which leaves it a zombie: its pid, and its
 * process group's id while it leads one, cannot go to another process until {@link #reap()}, so a
 * signal sent before then reaches this child's tree and no other. Thread-safe.
 */
public final class LinuxProcess extends LinuxChannel {
    /** The iovec memory holds the {@code siginfo_t} (128 bytes) of {@code waitid}. */
    private static final int SCRATCH_IOVECS = 8;
    private static final int SIGINFO_SIZE = 128;
    private static final Charset JNU = jnuCharset();

    private final int pid;
    private final int pgid;
    /** The {@code si_code} and {@code si_status} of the exit once known; 0 and 0 before. */
    private volatile int code;
    private volatile int status;
    private boolean reaped;

    private LinuxProcess(PipeProvider provider, SystemCalls raw, int pidfd, int pid, int pgid) {
        super(provider, raw, pidfd, true, "pidfd", SCRATCH_IOVECS);
        this.pid = pid;
        this.pgid = pgid;
    }

    /** Where a child's standard error goes. */
    public enum Stderr {
        /** The descriptor given (a pipe's write end). */
        FD,
        /** The JVM's own standard error. */
        INHERIT,
        /** Wherever standard output goes ({@code 2>&1}). */
        STDOUT,
        /** A file opened for writing, truncated ({@code 2>file}). */
        FILE,
        /** A file opened for appending ({@code 2>>file}). */
        APPEND
    }

    /** What to start; the paths and strings are as the user gave them. */
    public static final class Spec {
        final List<String> command;
        final Map<String, String> environment;
        final String directory;
        final int stdin;
        final int stdout;
        final Stderr stderr;
        final int stderrFd;
        final String stderrPath;
        final int pgroup;
        /** The file to run where the caller looked it up already; null for {@code posix_spawnp} to look up {@code command[0]}. */
        String program;

        /**
         * @param command the program and its arguments; the program is looked up in the JVM's {@code PATH}
         * @param environment the child's whole environment
         * @param directory its working directory, or null for the JVM's
         * @param stdin the descriptor that becomes its standard input
         * @param stdout the descriptor that becomes its standard output
         * @param stderr where its standard error goes
         * @param stderrFd for {@link Stderr#FD}: the descriptor
         * @param stderrPath for {@link Stderr#FILE} and {@link Stderr#APPEND}: the file
         * @param pgroup the process group to join; 0 for a group of its own, which its pid names
         */
        public Spec(List<String> command, Map<String, String> environment, String directory, int stdin, int stdout,
                Stderr stderr, int stderrFd, String stderrPath, int pgroup) {
            this.command = List.copyOf(command);
            this.environment = Map.copyOf(environment);
            this.directory = directory;
            this.stdin = stdin;
            this.stdout = stdout;
            this.stderr = stderr;
            this.stderrFd = stderrFd;
            this.stderrPath = stderrPath;
            this.pgroup = pgroup;
        }

        /** The same start with the program run by {@code /bin/sh}, as {@code execvp} runs a script without {@code #!}. */
        Spec asShellScript() {
            List<String> c = new ArrayList<>();
            c.add("/bin/sh");
            c.add(program != null ? program : resolve(command.get(0)));
            c.addAll(command.subList(1, command.size()));
            return new Spec(c, environment, directory, stdin, stdout, stderr, stderrFd, stderrPath, pgroup);
        }

        /**
         * Runs {@code program} with {@code command} as its arguments ({@code command[0]} stays the
         * name the program sees): the lookup in {@code PATH} done once, by the caller.
         *
         * @param program an absolute path
         * @return this spec
         */
        public Spec program(String program) {
            this.program = program;
            return this;
        }

        /** The program's path as {@code posix_spawnp} found it: in the JVM's {@code PATH} unless it names a path. */
        private static String resolve(String program) {
            if (program.contains("/")) {
                return program;
            }
            String path = System.getenv("PATH");
            for (String d : (path == null ? "/bin:/usr/bin" : path).split(":")) {
                java.io.File f = new java.io.File(d.isEmpty() ? "." : d, program);
                if (f.isFile() && f.canExecute()) {
                    return f.getPath();
                }
            }
            return program;
        }
    }

    /**
     * Starts a child. On a failure nothing is left: no child, no descriptor, no memory.
     *
     * @param provider the provider whose calls these are
     * @param raw its system calls
     * @param spec what to start
     * @return the running child
     * @throws IOException naming the program when it cannot start (missing, not executable), or
     *     the call that failed
     */
    public static LinuxProcess spawn(PipeProvider provider, SystemCalls raw, Spec spec) throws IOException {
        try {
            try {
                return spawnExactly(provider, raw, spec);
            } catch (PipeException e) {
                if (spec.program == null || !lookUpGoesOn(e.code())) {
                    throw e;
                }
                // The caller's lookup found a file that cannot run (a bad "#!", a missing loader):
                // posix_spawnp goes on to the next PATH entry then, so let it look.
                return spawnExactly(provider, raw, spec.program(null));
            }
        } catch (PipeException e) {
            if (e.errno() != Errno.ENOEXEC) {
                throw e;
            }
            // A script without "#!": glibc's posix_spawnp no longer hands it to the shell; the JDK
            // and execvp(3) do, and so does this.
            return spawnExactly(provider, raw, spec.asShellScript());
        }
    }

    /** The errors on which execvp and posix_spawnp try the next PATH entry. */
    private static boolean lookUpGoesOn(int errno) {
        return errno == Errno.ENOENT.code() || errno == Errno.EACCES.code() || errno == Errno.ENOTDIR.code()
                || errno == 116 /* ESTALE */ || errno == Errno.ENODEV.code() || errno == Errno.ETIMEDOUT.code();
    }

    private static LinuxProcess spawnExactly(PipeProvider provider, SystemCalls raw, Spec spec) throws IOException {
        Layout layout = new Layout(spec);
        ByteBuffer m = raw.allocate(layout.size);
        long base = raw.address(m);
        long fa = base + Layout.FILE_ACTIONS;
        long attr = base + Layout.ATTR;
        boolean faInit = false;
        boolean attrInit = false;
        try {
            check(raw.posixSpawnFileActionsInit(fa), "posix_spawn_file_actions_init");
            faInit = true;
            check(raw.posixSpawnattrInit(attr), "posix_spawnattr_init");
            attrInit = true;
            long[] strings = layout.write(m, base);
            int at = 0;
            long file = strings[at++];
            at += spec.command.size() - 1 + spec.environment.size();
            long dir = spec.directory != null ? strings[at++] : 0;
            long errPath = spec.stderrPath != null ? strings[at++] : 0;
            if (spec.program != null) {
                file = strings[at];
            }
            if (dir != 0) {
                check(raw.posixSpawnFileActionsAddChdir(fa, dir), "posix_spawn_file_actions_addchdir_np");
            }
            check(raw.posixSpawnFileActionsAddDup2(fa, spec.stdin, 0), "posix_spawn_file_actions_adddup2");
            check(raw.posixSpawnFileActionsAddDup2(fa, spec.stdout, 1), "posix_spawn_file_actions_adddup2");
            switch (spec.stderr) {
                case FD:
                    check(raw.posixSpawnFileActionsAddDup2(fa, spec.stderrFd, 2), "posix_spawn_file_actions_adddup2");
                    break;
                case STDOUT:
                    check(raw.posixSpawnFileActionsAddDup2(fa, 1, 2), "posix_spawn_file_actions_adddup2");
                    break;
                case FILE:
                case APPEND:
                    int flags = O_WRONLY | O_CREAT | (spec.stderr == Stderr.FILE ? O_TRUNC : O_APPEND);
                    check(raw.posixSpawnFileActionsAddOpen(fa, 2, errPath, flags, 0666), "posix_spawn_file_actions_addopen");
                    break;
                default:
                    break; // INHERIT: descriptor 2 stays the JVM's
            }
            check(raw.posixSpawnFileActionsAddClosefrom(fa, 3), "posix_spawn_file_actions_addclosefrom_np");
            check(raw.posixSpawnattrSetflags(attr, (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                    "posix_spawnattr_setflags");
            check(raw.posixSpawnattrSetpgroup(attr, spec.pgroup), "posix_spawnattr_setpgroup");
            // An empty mask, and every signal of 1..64 back to its default action.
            m.putLong(Layout.SIGDEFAULT, -1L);
            check(raw.posixSpawnattrSetsigmask(attr, base + Layout.SIGMASK), "posix_spawnattr_setsigmask");
            check(raw.posixSpawnattrSetsigdefault(attr, base + Layout.SIGDEFAULT), "posix_spawnattr_setsigdefault");
            int r = raw.posixSpawnp(base + Layout.PID, file, fa, attr, base + layout.argv, base + layout.envp);
            if (r < 0) {
                throw new PipeException("posix_spawnp(" + spec.command.get(0) + ")", -r,
                        "Cannot run program \"" + spec.command.get(0) + "\"" + (spec.directory != null ? " (in directory \""
                                + spec.directory + "\")" : "") + ": " + Errno.of(-r).description());
            }
            int pid = m.getInt(Layout.PID);
            int pidfd = raw.pidfdOpen(pid);
            if (pidfd < 0) {
                // Cannot wait for it as asked: end it and reap it here rather than leave it behind.
                raw.kill(pid, Linux.SIGKILL);
                ByteBuffer info = raw.allocate(SIGINFO_SIZE);
                try {
                    raw.waitid(P_PID, pid, raw.address(info), WEXITED);
                } finally {
                    raw.free(info);
                }
                throw new PipeException("pidfd_open(pid=" + pid + ")", -pidfd);
            }
            return new LinuxProcess(provider, raw, pidfd, pid, spec.pgroup == 0 ? pid : spec.pgroup);
        } finally {
            if (attrInit) {
                raw.posixSpawnattrDestroy(attr);
            }
            if (faInit) {
                raw.posixSpawnFileActionsDestroy(fa);
            }
            raw.free(m);
        }
    }

    private static void check(int r, String call) throws PipeException {
        if (r < 0) {
            if (r == -Errno.ENOSYS.code()) {
                throw new PipeException(call, -r, "this provider or this libc cannot start child processes itself ("
                        + call + " is missing; glibc 2.34 or later has every call needed)");
            }
            throw new PipeException(call, -r);
        }
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * The native memory of one spawn: the two opaque structs, two signal sets, the pid, the argv and
     * envp arrays, and every string, NUL-terminated.
     */
    private static final class Layout {
        static final int FILE_ACTIONS = 0; // posix_spawn_file_actions_t: 80 bytes in glibc
        static final int ATTR = 256; // posix_spawnattr_t: 336 bytes in glibc
        static final int SIGMASK = 768; // sigset_t: 128 bytes
        static final int SIGDEFAULT = 896;
        static final int PID = 1024;
        static final int STRINGS_AT = 1032;

        final List<byte[]> strings = new ArrayList<>();
        final int argc;
        final int envc;
        final int argv;
        final int envp;
        final int size;

        Layout(Spec spec) {
            for (String a : spec.command) {
                strings.add(cString(a, "command"));
            }
            for (Map.Entry<String, String> e : spec.environment.entrySet()) {
                strings.add(cString(e.getKey() + "=" + e.getValue(), "environment"));
            }
            if (spec.directory != null) {
                strings.add(cString(spec.directory, "directory"));
            }
            if (spec.stderrPath != null) {
                strings.add(cString(spec.stderrPath, "standard error's file"));
            }
            if (spec.program != null) {
                strings.add(cString(spec.program, "program"));
            }
            argc = spec.command.size();
            envc = spec.environment.size();
            argv = STRINGS_AT;
            envp = argv + 8 * (argc + 1);
            int bytes = envp + 8 * (envc + 1);
            for (byte[] s : strings) {
                bytes += s.length;
            }
            size = bytes;
        }

        private static byte[] cString(String s, String what) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the " + what + " holds a NUL character: " + s.replace('\0', '?'));
            }
            byte[] b = s.getBytes(JNU);
            byte[] c = new byte[b.length + 1];
            System.arraycopy(b, 0, c, 0, b.length);
            return c;
        }

        /** Writes the strings and the two arrays; returns each string's address, in order. */
        long[] write(ByteBuffer m, long base) {
            long[] at = new long[strings.size()];
            int pos = envp + 8 * (envc + 1);
            for (int i = 0; i < at.length; i++) {
                byte[] s = strings.get(i);
                m.put(pos, s);
                at[i] = base + pos;
                pos += s.length;
            }
            for (int i = 0; i < argc; i++) {
                m.putLong(argv + 8 * i, at[i]);
            }
            m.putLong(argv + 8 * argc, 0);
            for (int i = 0; i < envc; i++) {
                m.putLong(envp + 8 * i, at[argc + i]);
            }
            m.putLong(envp + 8 * envc, 0);
            return at;
        }
    }

    /**
     * The child's pid.
     *
     * @return the pid
     */
    public int pid() {
        return pid;
    }

    /**
     * The process group the child started in: its own pid unless it joined another's.
     *
     * @return the group's id
     */
    public int pgid() {
        return pgid;
    }

    /**
     * Waits until the child has exited (it stays a zombie until {@link #reap()}).
     *
     * @throws IOException {@code PipeClosedByInterruptException} when the thread was interrupted
     *     (the wait's descriptor is then closed; {@link #reopen()} gives another), or {@code
     *     PipeAsynchronousCloseException} when {@link #close()} ended the wait
     */
    public void awaitExit() throws IOException {
        if (code != 0) {
            return;
        }
        acquire();
        try {
            boolean done = false;
            enter();
            try {
                while (isOpen()) {
                    if (peek()) {
                        done = true;
                        break;
                    }
                    if (!await(POLLIN, -1, (short) 0)) {
                        break;
                    }
                }
            } finally {
                try {
                    finish(done, 0, "waitid", 0);
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Whether the child has exited, asked without waiting and without reaping it.
     *
     * @return true once it has
     * @throws PipeException if {@code waitid} fails
     */
    public boolean exited() throws PipeException {
        if (code != 0) {
            return true;
        }
        synchronized (this) {
            return peekLocked(WNOWAIT);
        }
    }

    /** {@code waitid(WNOWAIT)} under {@link #lock}, with the scratch memory. */
    private boolean peek() throws PipeException {
        synchronized (this) {
            return peekLocked(WNOWAIT);
        }
    }

    private boolean peekLocked(int wnowait) throws PipeException {
        if (code != 0) {
            return true;
        }
        ByteBuffer info = raw.allocate(SIGINFO_SIZE);
        try {
            int r = raw.waitid(P_PID, pid, raw.address(info), WEXITED | WNOHANG | wnowait);
            if (r < 0) {
                throw new PipeException("waitid(P_PID, pid=" + pid + ")", -r);
            }
            if (info.getInt(SI_PID) == 0) {
                return false;
            }
            status = info.getInt(SI_STATUS);
            code = info.getInt(SI_CODE);
            if (wnowait == 0) {
                reaped = true;
            }
            return true;
        } finally {
            raw.free(info);
        }
    }

    /**
     * Whether a signal ended the child, with a core dump or without.
     *
     * @return true for a signal
     */
    public boolean signaled() {
        return code == CLD_KILLED || code == CLD_DUMPED;
    }

    /**
     * Whether the child dumped core.
     *
     * @return true for a core dump
     */
    public boolean coreDumped() {
        return code == CLD_DUMPED;
    }

    /**
     * The exit code, or the number of the signal that ended it.
     *
     * @return the status of {@code waitid}
     */
    public int status() {
        return status;
    }

    /**
     * Sends {@code signal} to the child's process group, so that its own children get it too.
     * Before {@link #reap()} of the group's leader the id cannot name another group.
     *
     * @param signal the signal
     * @return true if some process got it; false when the group is gone
     * @throws PipeException if {@code kill} fails otherwise
     */
    public boolean signalGroup(int signal) throws PipeException {
        int r = raw.kill(-pgid, signal);
        if (r < 0) {
            if (r == -Errno.ESRCH.code()) {
                return false;
            }
            throw new PipeException("kill(pid=-" + pgid + ", signal=" + signal + ")", -r);
        }
        return true;
    }

    /**
     * Takes the exited child's zombie away ({@code waitid} without {@code WNOWAIT}). From then on
     * its pid may be reused, and only {@link #signalGroup} still reaches what is left of its group.
     *
     * @return false if it has not exited yet (nothing is done)
     * @throws PipeException if {@code waitid} fails
     */
    public synchronized boolean reap() throws PipeException {
        if (reaped) {
            return true;
        }
        if (!peekLocked(WNOWAIT)) {
            return false;
        }
        int c = code;
        int s = status;
        code = 0;
        boolean r = peekLocked(0);
        code = c;
        status = s;
        return r;
    }

    /**
     * A new descriptor for the same child, to wait again after an interrupt closed this one.
     *
     * @return the other
     * @throws IOException if {@code pidfd_open} fails
     */
    public LinuxProcess reopen() throws IOException {
        int pidfd = raw.pidfdOpen(pid);
        if (pidfd < 0) {
            throw new PipeException("pidfd_open(pid=" + pid + ")", -pidfd);
        }
        LinuxProcess other = new LinuxProcess(provider(), raw, pidfd, pid, pgid);
        other.code = code;
        other.status = status;
        return other;
    }

    @Override
    public String toString() {
        return "LinuxProcess[pid=" + pid + ", pgid=" + pgid + (code == 0 ? "" : signaled() ? ", signal=" + status : ", exit=" + status) + "]";
    }
}
