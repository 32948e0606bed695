package org.jsplice.samples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsplice.Errno;
import org.jsplice.NativeFile;
import org.jsplice.PipeException;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.FanOut;
import org.jsplice.process.FanOutException;

/**
 * GNU {@code tee}, zero-copy: standard input goes to standard output and to every FILE through
 * {@link FanOut}, which gives each of them the same pages with {@code tee(2)} and {@code splice(2)};
 * none of them passes through the JVM's memory when standard input and output are pipes, and a
 * regular FILE is spliced into from the pipe.
 *
 * <p>The command line is GNU's: {@code -a}/{@code --append}, {@code -i}/{@code
 * --ignore-interrupts}, {@code -p}, {@code --output-error[=MODE]} with the modes {@code warn},
 * {@code warn-nopipe}, {@code exit} and {@code exit-nopipe}, {@code --help}, {@code --version}
 * (also {@code -V}), short options combined ({@code -ai}), long ones abbreviated ({@code --app}),
 * options after the FILEs unless {@code POSIXLY_CORRECT} is set, and {@code --} ending them. A bad
 * option is reported in {@code getopt}'s words, followed by {@code Try 'vmtee --help' for more
 * information.}, with exit status 1.
 *
 * <p>As {@code tee}: the FILEs are opened first, in order; one that cannot be opened is reported
 * as {@code vmtee: NAME: reason} (the name quoted as coreutils quote it) and the others are still
 * written (under {@code --output-error=exit} or {@code exit-nopipe}, vmtee ends there, as {@code
 * tee} does); any such failure makes the exit status 1. Without {@code --output-error}, an output
 * whose reader went away ({@code EPIPE}) ends vmtee with status 141, what a shell shows for {@code
 * tee} killed by SIGPIPE (the JVM ignores SIGPIPE, so vmtee exits with that status itself), even
 * on an endless input; with {@code -p} or {@code --output-error}, the mode says which failures are
 * reported and which end vmtee, and the other outputs go on to the end of the input, or until none
 * is left. When vmtee ends early, the bytes it had already read still reach the outputs that
 * remain.
 *
 * <p>A FILE opened with {@code -a}, and any output that cannot take a splice (the kernel refuses
 * to splice into a file opened with {@code O_APPEND}, and into devices such as {@code /dev/full}),
 * is written by copying from its pipe with {@code write(2)}; the other outputs stay zero-copy.
 */
public final class VmTee {
    private static final String PROGRAM = "vmtee";

    /** The bytes asked of one {@code splice(2)}: the pipes hold far less, so it moves what they hold. */
    private static final long SPLICE = 1L << 30;

    /** The bytes moved from standard input at a time, so that a stop is seen between them. */
    private static final long INPUT_STEP = 1L << 20;

    private VmTee() {
    }

    /**
     * Runs vmtee and exits with its status.
     *
     * @param args the command line, as {@code tee} reads it
     */
    public static void main(String[] args) {
        int status;
        try {
            Arguments parsed = Arguments.parse(args, System.getenv("POSIXLY_CORRECT") != null);
            Pipes.ensureAvailability();
            status = run(parsed);
        } catch (Arguments.Exit e) {
            status = e.status;
        } catch (IllegalStateException noProvider) {
            Tee.stderr().print(PROGRAM + ": " + noProvider.getMessage() + "\n");
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Copies standard input to standard output and the FILEs as the arguments say.
     *
     * @param args the parsed command line
     * @return the exit status: 0, 1 after a failure, 141 when an output's reader went away
     */
    static int run(Arguments args) {
        if (args.ignoreInterrupts) {
            ignoreInterrupts();
        }
        Tee tee = new Tee(args.outputError);
        List<ChildOutput> outputs = new ArrayList<>();
        List<Target> opened = new ArrayList<>();
        outputs.add(tee.output("standard output", Target.stdout()));
        for (String name : args.files) {
            try {
                Target file = Target.open(name, args.append);
                opened.add(file);
                outputs.add(tee.output(name, file));
            } catch (IOException e) {
                tee.openFailed(name, e);
                if (args.outputError == OutputError.EXIT || args.outputError == OutputError.EXIT_NOPIPE) {
                    for (Target t : opened) { // tee exits here: the FILEs before stay created, and empty
                        try {
                            t.close();
                        } catch (IOException ignored) {
                            // ending anyway
                        }
                    }
                    return tee.status();
                }
            }
        }
        try {
            FanOut.of(tee.input(), outputs.toArray(new ChildOutput[0])).run();
        } catch (FanOutException e) {
            tee.internalFailure(e.getCause() != null ? e.getCause() : e);
        } catch (IOException | RuntimeException e) {
            tee.internalFailure(e);
        }
        return tee.status();
    }

    /**
     * Makes SIGINT ignored by the process, as {@code signal(SIGINT, SIG_IGN)}: {@code
     * sun.misc.Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN)} replaces the JVM's own
     * handler (which would exit with status 130) with {@code SIG_IGN} in the kernel. Called
     * reflectively, so that the build stays free of warnings about {@code jdk.unsupported}; a JVM
     * without it gets a warning and runs on.
     */
    private static void ignoreInterrupts() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object ignore = handler.getField("SIG_IGN").get(null);
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("INT"), ignore);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Tee.stderr().print(PROGRAM + ": cannot ignore SIGINT: " + e + "\n");
        }
    }

    /** What to do when writing to an output fails: GNU {@code tee}'s {@code --output-error} modes. */
    enum OutputError {
        /**
         * No {@code --output-error}: an output whose reader went away ends vmtee with status 141, as
         * SIGPIPE ends {@code tee}; any other failure is reported and the other outputs go on.
         */
        SIGPIPE(null),
        /** Every failure is reported, a reader that went away too, and the other outputs go on. */
        WARN("warn"),
        /** An output whose reader went away is left out silently; any other failure is reported; the others go on. */
        WARN_NOPIPE("warn-nopipe"),
        /** Every failure is reported and ends vmtee with status 1. */
        EXIT("exit"),
        /** An output whose reader went away is left out silently; any other failure is reported and ends vmtee. */
        EXIT_NOPIPE("exit-nopipe");

        /** The word on the command line; {@code null} for the mode without {@code --output-error}. */
        final String word;

        OutputError(String word) {
            this.word = word;
        }
    }

    /** The command line as GNU {@code tee} reads it with {@code getopt_long}. */
    static final class Arguments {
        /** The long options, in GNU tee's order, which its messages list them in. */
        private static final List<String> LONG = List.of("append", "ignore-interrupts", "output-error", "help", "version");

        /** {@code -a}: append to the FILEs. */
        boolean append;
        /** {@code -i}: ignore SIGINT. */
        boolean ignoreInterrupts;
        /** {@code -p}, {@code --output-error}. */
        OutputError outputError = OutputError.SIGPIPE;
        /** The FILEs, in order. */
        final List<String> files = new ArrayList<>();

        private Arguments() {
        }

        /** Ends the parsing with an exit status, once what was to be printed is printed. */
        static final class Exit extends Exception {
            private static final long serialVersionUID = 1L;

            /** The exit status. */
            final int status;

            Exit(int status) {
                super(null, null, false, false);
                this.status = status;
            }
        }

        /**
         * Parses the command line as {@code getopt_long} with the option string {@code "aipV"}: the
         * options may come after the FILEs (unless {@code posixlyCorrect}), {@code --} ends them, a
         * lone {@code -} is a FILE. {@code --help} and {@code --version} print and exit where they
         * stand, as in {@code tee}.
         *
         * @param args the command line
         * @param posixlyCorrect whether {@code POSIXLY_CORRECT} is set: the first FILE ends the options
         * @return the arguments
         * @throws Exit after {@code --help} or {@code --version} (status 0), or a bad option (status 1)
         */
        static Arguments parse(String[] args, boolean posixlyCorrect) throws Exit {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--")) {
                    a.files.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    break;
                }
                if (arg.startsWith("--")) {
                    a.longOption(arg.substring(2));
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    for (int j = 1; j < arg.length(); j = arg.offsetByCodePoints(j, 1)) {
                        a.shortOption(arg.codePointAt(j));
                    }
                } else if (posixlyCorrect) {
                    a.files.addAll(Arrays.asList(args).subList(i, args.length));
                    break;
                } else {
                    a.files.add(arg);
                }
            }
            return a;
        }

        /** One short option, {@code c}, alone or among others ({@code -ai}). */
        private void shortOption(int c) throws Exit {
            switch (c) {
                case 'a':
                    append = true;
                    break;
                case 'i':
                    ignoreInterrupts = true;
                    break;
                case 'p':
                    outputError = OutputError.WARN_NOPIPE;
                    break;
                case 'V':
                    version();
                    break;
                default:
                    throw usage(PROGRAM + ": invalid option -- '" + new String(Character.toChars(c)) + "'");
            }
        }

        /** One {@code --name[=value]}; {@code body} is what follows the dashes. */
        private void longOption(String body) throws Exit {
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            String option;
            if (LONG.contains(name)) {
                option = name;
            } else {
                List<String> matches = new ArrayList<>();
                for (String o : LONG) {
                    if (o.startsWith(name)) {
                        matches.add(o);
                    }
                }
                if (matches.isEmpty()) {
                    throw usage(PROGRAM + ": unrecognized option '--" + body + "'");
                }
                if (matches.size() > 1) {
                    StringBuilder m = new StringBuilder(PROGRAM + ": option '--" + body + "' is ambiguous; possibilities:");
                    for (String o : matches) {
                        m.append(" '--").append(o).append('\'');
                    }
                    throw usage(m.toString());
                }
                option = matches.get(0);
            }
            if (value != null && !option.equals("output-error")) {
                throw usage(PROGRAM + ": option '--" + option + "' doesn't allow an argument");
            }
            switch (option) {
                case "append":
                    append = true;
                    break;
                case "ignore-interrupts":
                    ignoreInterrupts = true;
                    break;
                case "output-error":
                    outputError = value == null ? OutputError.WARN_NOPIPE : mode(value);
                    break;
                case "help":
                    help();
                    break;
                default:
                    version();
                    break;
            }
        }

        /**
         * The mode {@code value} names, as {@code argmatch} finds it: the exact word, or the only
         * word it begins.
         */
        private static OutputError mode(String value) throws Exit {
            List<OutputError> found = new ArrayList<>();
            for (OutputError m : OutputError.values()) {
                if (m.word != null && m.word.equals(value)) {
                    return m;
                }
                if (m.word != null && m.word.startsWith(value)) {
                    found.add(m);
                }
            }
            if (found.size() == 1) {
                return found.get(0);
            }
            StringBuilder m = new StringBuilder(PROGRAM + ": " + (found.isEmpty() ? "invalid" : "ambiguous") + " argument "
                    + Quoting.quote(value) + " for " + Quoting.quote("--output-error") + "\nValid arguments are:");
            for (OutputError e : OutputError.values()) {
                if (e.word != null) {
                    m.append("\n  - ").append(Quoting.quote(e.word));
                }
            }
            throw usage(m.toString());
        }

        /** Prints {@code message} and getopt's hint on standard error: the exit for a bad option, status 1. */
        private static Exit usage(String message) {
            PrintStream err = Tee.stderr();
            err.print(message + "\nTry '" + PROGRAM + " --help' for more information.\n");
            err.flush();
            return new Exit(1);
        }

        /** {@code --help}: tee's help, on standard output, status 0. */
        private static void help() throws Exit {
            System.out.print("Usage: " + PROGRAM + " [OPTION]... [FILE]...\n"
                    + "Copy standard input to each FILE, and also to standard output.\n"
                    + "The same pages go to every output with tee(2) and splice(2): when standard input\n"
                    + "and output are pipes, no byte passes through the JVM. A FILE appended to, and an\n"
                    + "output that cannot take a splice (such as /dev/full), is written by copying.\n"
                    + "\n"
                    + "  -a, --append              append to the given FILEs, do not overwrite\n"
                    + "  -i, --ignore-interrupts   ignore interrupt signals\n"
                    + "  -p                        diagnose errors writing to non pipes\n"
                    + "      --output-error[=MODE]   set behavior on write error.  See MODE below\n"
                    + "      --help        display this help and exit\n"
                    + "  -V, --version     output version information and exit\n"
                    + "\n"
                    + "MODE determines behavior with write errors on the outputs:\n"
                    + "  warn           diagnose errors writing to any output\n"
                    + "  warn-nopipe    diagnose errors writing to any output not a pipe\n"
                    + "  exit           exit on error writing to any output\n"
                    + "  exit-nopipe    exit on error writing to any output not a pipe\n"
                    + "The default MODE for the -p option is 'warn-nopipe'.\n"
                    + "The default operation when --output-error is not specified, is to\n"
                    + "exit immediately on error writing to a pipe, and diagnose errors\n"
                    + "writing to non pipe outputs.\n"
                    + "\n"
                    + "A JVM cannot die of SIGPIPE: where tee would, " + PROGRAM + " exits with status 141,\n"
                    + "what a shell shows for a program killed by SIGPIPE.\n");
            System.out.flush();
            throw new Exit(0);
        }

        /** {@code --version}, {@code -V}: one line, the program and the samples' version, status 0. */
        private static void version() throws Exit {
            String v = Unix.class.getPackage().getImplementationVersion();
            System.out.print(PROGRAM + " (jsplice samples) " + (v == null ? "development build" : v) + "\n");
            System.out.flush();
            throw new Exit(0);
        }
    }

    /**
     * One run's state: the exit status, the failures reported, and whether vmtee is to stop. The
     * outputs and the input run on FanOut's threads and report here.
     */
    static final class Tee {
        private final OutputError mode;
        private final PrintStream err = stderr();
        private volatile boolean stopped;
        /** The thread that moves standard input, for {@link #stop()} to interrupt. */
        private volatile Thread inputThread;
        private int status;
        /** The outputs that have not ended yet. */
        private int outputs;

        /**
         * A run in {@code mode}.
         *
         * @param mode what a failing output does
         */
        Tee(OutputError mode) {
            this.mode = mode;
        }

        /** Standard error, written in UTF-8 (names as given, quotes as the locale has them). */
        static PrintStream stderr() {
            return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        }

        /** {@return the exit status} once the run is over */
        synchronized int status() {
            return status;
        }

        /** Makes the status 1, unless it is 141 already. */
        private void fail() {
            if (status == 0) {
                status = 1;
            }
        }

        /** One line {@code vmtee: line} on standard error. */
        private void say(String line) {
            err.print(PROGRAM + ": " + line + "\n");
            err.flush();
        }

        /**
         * A FILE that could not be opened: reported, status 1; the others are written, unless the
         * mode is {@code exit} or {@code exit-nopipe}, where {@code tee} ends at once.
         */
        synchronized void openFailed(String name, IOException e) {
            say(Quoting.quotef(name) + ": " + Unix.reason(e));
            fail();
        }

        /**
         * An output that failed: what the mode says. Once vmtee is stopping, a failure is not
         * reported ({@code tee} would have ended before meeting it).
         */
        synchronized void writeFailed(String name, IOException e) {
            if (stopped) {
                return;
            }
            boolean gone = Unix.isBrokenPipe(e);
            if (gone && mode == OutputError.SIGPIPE) {
                status = Unix.BROKEN_PIPE_STATUS;
                stop();
                return;
            }
            if (gone && (mode == OutputError.WARN_NOPIPE || mode == OutputError.EXIT_NOPIPE)) {
                return; // left out silently; the others go on
            }
            say(Quoting.quotef(name) + ": " + Unix.reason(e));
            fail();
            if (mode == OutputError.EXIT || mode == OutputError.EXIT_NOPIPE) {
                stop();
            }
        }

        /** Standard input failed: reported as {@code tee} reports it; the input ends there. */
        synchronized void readFailed(IOException e) {
            if (!stopped) {
                say("read error: " + Unix.reason(e));
                fail();
            }
        }

        /** A failure of the fan-out itself, not of one output or the input. */
        synchronized void internalFailure(Throwable t) {
            say(t instanceof IOException ? Unix.reason((IOException) t) : t.toString());
            fail();
        }

        /**
         * Ends the run as {@code tee} ends at this point: no more input is taken (the input's wait
         * is cut short by interrupting its thread, which closes the end it waits on), and what was
         * read already goes on to the outputs that remain. Failures from now on are not reported.
         */
        private void stop() {
            stopped = true;
            Thread t = inputThread;
            if (t != null) {
                t.interrupt();
            }
        }

        /**
         * Standard input, moved into the fan-out until its end, a read error, or a stop: spliced
         * from a pipe; spliced at its position from a file or device that can ({@code splice(2)}
         * from the page cache); else read and handed over in {@link PipeWriter}'s regions.
         *
         * @return the input
         */
        ChildInput input() {
            return hub -> {
                inputThread = Thread.currentThread();
                try {
                    if (!stopped) {
                        feed(hub);
                    }
                } catch (IOException e) {
                    if (!stopped) {
                        throw e; // the fan-out's own pipe failed; EPIPE when no output is left
                    }
                }
            };
        }

        /**
         * Moves standard input into {@code hub} as {@link #input()} says; a read error is
         * reported and ends the input, a failure of {@code hub} is thrown.
         */
        private void feed(PipeSink hub) throws IOException {
            PipeSource pipe = null;
            try {
                pipe = Pipes.stdin();
            } catch (IOException notAPipe) {
                // a file, a device, a terminal: below
            }
            if (pipe != null) {
                try (PipeSource in = pipe) {
                    while (!stopped) {
                        long r;
                        try {
                            r = in.splice(hub, INPUT_STEP);
                        } catch (IOException e) {
                            if (stopped || Unix.isBrokenPipe(e)) {
                                throw e;
                            }
                            readFailed(e);
                            return;
                        }
                        if (r < 0) {
                            return;
                        }
                    }
                }
                return;
            }
            long moved = 0;
            while (!stopped) {
                long r;
                try {
                    r = hub.spliceFrom(0, INPUT_STEP);
                } catch (PipeException e) {
                    if (moved == 0 && e.errno() == Errno.EINVAL) {
                        read(hub); // this input cannot be spliced from
                        return;
                    }
                    if (Unix.isBrokenPipe(e)) {
                        throw e;
                    }
                    readFailed(e);
                    return;
                } catch (UnsupportedOperationException e) {
                    read(hub);
                    return;
                }
                if (r < 0) {
                    return;
                }
                moved += r;
            }
        }

        /** Reads standard input into {@code hub} through a {@link PipeWriter} with the safe default. */
        private void read(PipeSink hub) throws IOException {
            // A channel, not the stream: an interrupt ends a read that waits (a terminal's).
            FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
            try (PipeWriter w = PipeWriter.builder(hub).build()) {
                ByteBuffer chunk = ByteBuffer.allocate(w.regionSize());
                while (!stopped) {
                    int n;
                    try {
                        n = in.read(chunk.clear());
                    } catch (IOException e) {
                        if (stopped) {
                            throw e;
                        }
                        readFailed(e);
                        return;
                    }
                    if (n < 0) {
                        return;
                    }
                    w.write(chunk.flip());
                }
            }
        }

        /** An output has ended: when none is left, neither is anything to read for. */
        private synchronized void outputEnded() {
            if (--outputs == 0) {
                stop();
            }
        }

        /**
         * An output for the fan-out: spliced into {@code target}, or copied where it cannot take a
         * splice; a failure goes to {@link #writeFailed}, and the fan-out leaves the output out.
         *
         * @param name the name in messages
         * @param target where the bytes go
         * @return the output
         */
        ChildOutput output(String name, Target target) {
            synchronized (this) {
                outputs++;
            }
            return from -> {
                try {
                    target.drain(from);
                } catch (IOException e) {
                    writeFailed(name, e);
                } finally {
                    try {
                        target.close();
                    } catch (IOException e) {
                        writeFailed(name, e);
                    }
                    outputEnded();
                }
            };
        }
    }

    /** An output's descriptor: standard output's, or a FILE's that vmtee opened. */
    abstract static class Target {
        /** The descriptor spliced into, at its own position. */
        abstract int fd() throws IOException;

        /** A channel over the same file for copying, where splicing is refused. */
        abstract WritableByteChannel copying() throws IOException;

        /** Closes what this target opened; standard output stays open. */
        abstract void close() throws IOException;

        /**
         * Moves everything {@code from} gives, to its end: spliced, or copied where the kernel
         * refuses the splice ({@code EINVAL}: a file opened with {@code O_APPEND}, a device
         * without splice support) before anything moved.
         */
        final void drain(PipeSource from) throws IOException {
            int fd = fd();
            long moved = 0;
            while (true) {
                long r;
                try {
                    r = from.splice(fd, SPLICE);
                } catch (PipeException e) {
                    if (moved == 0 && e.errno() == Errno.EINVAL) {
                        copy(from);
                        return;
                    }
                    throw e;
                } catch (UnsupportedOperationException e) {
                    copy(from);
                    return;
                }
                if (r < 0) {
                    return;
                }
                moved += r;
            }
        }

        /** Reads {@code from} to its end and writes it to {@link #copying()}. */
        private void copy(PipeSource from) throws IOException {
            WritableByteChannel out = copying();
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 17);
            while (from.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }

        /** Standard output, descriptor 1, whatever it is. */
        static Target stdout() {
            return new Target() {
                @Override
                int fd() {
                    return 1;
                }

                @Override
                WritableByteChannel copying() {
                    return new FileOutputStream(FileDescriptor.out).getChannel(); // the same open file, never closed
                }

                @Override
                void close() {
                }
            };
        }

        /**
         * Opens FILE as {@code tee} does: {@code O_WRONLY|O_CREAT}, with {@code O_APPEND} for
         * {@code -a}, else {@code O_TRUNC}; mode 0666 less the umask.
         *
         * @param name the FILE as given
         * @param append {@code -a}
         * @return the target
         * @throws IOException as {@code open(2)} fails
         */
        static Target open(String name, boolean append) throws IOException {
            if (name.endsWith("/")) {
                throw trailingSlash(name);
            }
            Path path;
            try {
                path = Path.of(name);
            } catch (InvalidPathException e) {
                throw new IOException(e.getReason(), e);
            }
            NativeFile file = Pipes.openFile(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new Target() {
                private FileChannel copy;

                @Override
                int fd() throws IOException {
                    return file.fd();
                }

                @Override
                WritableByteChannel copying() throws IOException {
                    // The same file, opened again through /proc (a device, or the file appended to).
                    copy = append
                            ? FileChannel.open(Path.of("/proc/self/fd/" + file.fd()), StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                            : FileChannel.open(Path.of("/proc/self/fd/" + file.fd()), StandardOpenOption.WRITE);
                    return copy;
                }

                @Override
                void close() throws IOException {
                    try {
                        if (copy != null) {
                            copy.close();
                        }
                    } finally {
                        file.close();
                    }
                }
            };
        }

        /**
         * What {@code open(2)} with {@code O_CREAT} says of a name that ends with a slash, which
         * {@link Path} would drop: the error of its directory, else {@code EISDIR}.
         */
        private static IOException trailingSlash(String name) {
            String stripped = name.replaceAll("/+$", "");
            Path parent = stripped.isEmpty() ? null : Path.of(stripped).getParent();
            Errno errno = Errno.EISDIR;
            if (parent != null && !Files.isDirectory(parent)) {
                errno = Files.exists(parent) ? Errno.ENOTDIR : Errno.ENOENT;
            }
            return new IOException(errno.description());
        }
    }

    /**
     * The quoting of coreutils (gnulib's {@code quotearg}): {@link #quotef} for names in messages,
     * {@link #quote} for words in option errors.
     */
    static final class Quoting {
        private Quoting() {
        }

        /** Whether the locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else LANG). */
        static boolean utf8() {
            String v = null;
            for (String name : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
                v = System.getenv(name);
                if (v != null && !v.isEmpty()) {
                    break;
                }
            }
            return v != null && v.toLowerCase(Locale.ROOT).replace("-", "").contains("utf8");
        }

        /**
         * A word quoted as {@code quote()} quotes it: {@code 'word'} ({@code ‘word’} in a UTF-8
         * locale), with backslash escapes for the closing quote, backslashes and unprintable
         * characters.
         *
         * @param s the word
         * @return it, quoted
         */
        static String quote(String s) {
            boolean utf8 = utf8();
            String left = utf8 ? "\u2018" : "'";
            String right = utf8 ? "\u2019" : "'";
            StringBuilder b = new StringBuilder(left);
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                int n = Character.charCount(c);
                String esc = cEscape(c);
                if (s.startsWith(right, i)) {
                    b.append('\\').append(right);
                    n = right.length();
                } else if (esc != null) {
                    b.append('\\').append(esc);
                } else if (c == '\\') {
                    b.append("\\\\");
                } else if (!printable(c)) {
                    for (byte x : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                        b.append('\\').append(octal(x));
                    }
                } else {
                    b.appendCodePoint(c);
                }
                i += n;
            }
            return b.append(right).toString();
        }

        /**
         * A name quoted as coreutils' {@code quotef()} (shell-escape style, colons quoted too):
         * as it is when a shell would read it so, else in single quotes, with {@code $'\n'} for
         * unprintable characters and {@code '\''} for a single quote, or in double quotes when a
         * single quote is all that needs it.
         *
         * @param s the name
         * @return it, quoted where needed
         */
        static String quotef(String s) {
            if (!s.isEmpty() && !needsQuotes(s)) {
                return s;
            }
            ShellQuote first = new ShellQuote(false);
            String quoted = first.run(s);
            if (!first.singleQuote) {
                return quoted;
            }
            if (first.allCompatible) {
                return "\"" + s + "\"";
            }
            // quotearg writes it again from the start, as the first pass left its escape state.
            return new ShellQuote(first.pending).run(s);
        }

        /** Whether a shell would need {@code s} quoted (quotearg's first pass, eliding the quotes). */
        private static boolean needsQuotes(String s) {
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                switch (c) {
                    case '?': case '\\': case ' ': case '!': case '"': case '$': case '&': case '(': case ')':
                    case '*': case ';': case '<': case '=': case '>': case '[': case '^': case '`': case '|':
                    case '\'': case ':':
                        return true;
                    case '{': case '}':
                        if (s.length() == 1) {
                            return true;
                        }
                        break;
                    case '#': case '~':
                        if (i == 0) {
                            return true;
                        }
                        break;
                    default:
                        if (cEscape(c) != null || !printable(c)) {
                            return true;
                        }
                        break;
                }
                i += Character.charCount(c);
            }
            return false;
        }

        /** quotearg's shell-escape-always pass over one name, with its state. */
        private static final class ShellQuote {
            /** Inside a {@code $'...'} escape that the next plain character must close. */
            boolean pending;
            /** Whether the name holds a single quote. */
            boolean singleQuote;
            /** Whether every character could go in double quotes as it is. */
            boolean allCompatible = true;
            /** Whether the character at hand is written escaped. */
            private boolean escaping;
            private final StringBuilder b = new StringBuilder("'");

            /**
             * A pass that starts in the escape state {@code pending}, as quotearg's second pass
             * starts where its first one ended.
             */
            ShellQuote(boolean pending) {
                this.pending = pending;
            }

            /** Opens {@code $'} unless open, and writes the backslash. */
            private void startEscape() {
                escaping = true;
                if (!pending) {
                    b.append("'$'");
                    pending = true;
                }
                b.append('\\');
            }

            /** Writes {@code c}, closing an escape that is open first when {@code c} is not escaped. */
            private void store(String c, boolean compatible) {
                if (pending && !escaping) {
                    b.append("''");
                    pending = false;
                }
                b.append(c);
                if (!compatible) {
                    allCompatible = false;
                }
            }

            /** {@return {@code s} in single quotes}, escaped where it must be */
            String run(String s) {
                for (int i = 0; i < s.length(); ) {
                    int c = s.codePointAt(i);
                    escaping = false;
                    String esc = cEscape(c);
                    String ch = new String(Character.toChars(c));
                    if (esc != null) {
                        startEscape();
                        store(esc, false);
                    } else if (c == '\'') {
                        singleQuote = true;
                        b.append("'\\'");
                        pending = false;
                        store(ch, true);
                    } else if (c == '{' || c == '}') {
                        store(ch, s.length() == 1);
                    } else if (c == '#' || c == '~') {
                        store(ch, i == 0);
                    } else if (c == ' ' || safe(c)) {
                        store(ch, true);
                    } else if ("?\\!\"$&()*;<=>[^`|".indexOf(c) >= 0) {
                        store(ch, false);
                    } else if (printable(c)) {
                        store(ch, true);
                    } else {
                        byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
                        for (int k = 0; k < bytes.length; k++) {
                            startEscape();
                            String o = octal(bytes[k]);
                            if (k < bytes.length - 1) {
                                b.append(o);
                            } else {
                                b.append(o, 0, 2);
                                store(o.substring(2), false);
                            }
                        }
                    }
                    i += Character.charCount(c);
                }
                return b.append('\'').toString();
            }
        }

        /** The characters no quoting style treats specially. */
        private static boolean safe(int c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "%+,-./:]_".indexOf(c) >= 0;
        }

        /** The letter of C's backslash escape for {@code c}, or {@code null}. */
        private static String cEscape(int c) {
            switch (c) {
                case 7: return "a";
                case '\b': return "b";
                case '\f': return "f";
                case '\n': return "n";
                case '\r': return "r";
                case '\t': return "t";
                case 11: return "v";
                default: return null;
            }
        }

        /** Printable as a UTF-8 locale's {@code iswprint} sees it. */
        private static boolean printable(int c) {
            if (c < 0x80) {
                return c >= 0x20 && c < 0x7f;
            }
            int type = Character.getType(c);
            return !Character.isISOControl(c) && type != Character.UNASSIGNED && type != Character.SURROGATE;
        }

        /** The three octal digits of a byte, as {@code \ooo} escapes take them. */
        private static String octal(byte x) {
            int v = x & 0xff;
            return "" + (char) ('0' + (v >> 6)) + (char) ('0' + ((v >> 3) & 7)) + (char) ('0' + (v & 7));
        }
    }
}
