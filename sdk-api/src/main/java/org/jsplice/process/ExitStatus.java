package org.jsplice.process;

import java.io.Serializable;

/**
 * How a child ended: it exited with a code, or a signal killed it. The JDK's {@link
 * Process#exitValue()} reports a death by signal {@code N} as {@code 128 + N}, which a child that
 * exits with 137 also gives; {@code waitid(2)} tells the two apart, and so does this type:
 * {@code exit 137} is not {@code killed by SIGKILL (9)}. Immutable and thread-safe.
 */
public final class ExitStatus implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Linux's signal names by number ({@code <asm-generic/signal.h>}; x86-64 and arm64 agree). */
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** Whether a signal ended the child. */
    private final boolean signaled;
    /** The exit code, or the signal's number. */
    private final int value;
    /** Whether it dumped core. */
    private final boolean coreDumped;

    private ExitStatus(boolean signaled, int value, boolean coreDumped) {
        this.signaled = signaled;
        this.value = value;
        this.coreDumped = coreDumped;
    }

    /**
     * A child that exited by itself.
     *
     * @param code its exit code, 0 to 255
     * @return the status
     */
    public static ExitStatus exited(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("an exit code is 0 to 255: " + code);
        }
        return new ExitStatus(false, code, false);
    }

    /**
     * A child that a signal ended.
     *
     * @param signal the signal's number, positive
     * @param coreDumped whether it dumped core
     * @return the status
     */
    public static ExitStatus killed(int signal, boolean coreDumped) {
        if (signal <= 0) {
            throw new IllegalArgumentException("a signal's number is positive: " + signal);
        }
        return new ExitStatus(true, signal, coreDumped);
    }

    /**
     * The name of signal {@code number}: {@code SIGKILL}, {@code SIGRTMIN+3}, or {@code SIG<number>}.
     *
     * @param number the signal
     * @return its name
     */
    public static String signalName(int number) {
        if (number > 0 && number < NAMES.length) {
            return NAMES[number];
        }
        if (number >= 34 && number <= 64) {
            return number == 34 ? "SIGRTMIN" : "SIGRTMIN+" + (number - 34);
        }
        return "SIG" + number;
    }

    /**
     * Whether the child exited by itself (with any code).
     *
     * @return true for an exit, false for a signal
     */
    public boolean isExited() {
        return !signaled;
    }

    /**
     * Whether a signal ended the child.
     *
     * @return true for a signal
     */
    public boolean isSignaled() {
        return signaled;
    }

    /**
     * Whether the child exited with 0.
     *
     * @return true for success
     */
    public boolean isSuccess() {
        return !signaled && value == 0;
    }

    /**
     * The exit code.
     *
     * @return the code; -1 when a signal ended the child
     */
    public int code() {
        return signaled ? -1 : value;
    }

    /**
     * The signal that ended the child.
     *
     * @return its number; 0 when it exited by itself
     */
    public int signal() {
        return signaled ? value : 0;
    }

    /**
     * Whether the child dumped core as the signal ended it.
     *
     * @return true for a core dump
     */
    public boolean coreDumped() {
        return coreDumped;
    }

    /**
     * The status as a shell's {@code $?} (and the JDK's {@code exitValue()}) shows it: the code, or
     * 128 plus the signal.
     *
     * @return the shell's status
     */
    public int shellStatus() {
        return signaled ? 128 + value : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitStatus && ((ExitStatus) o).signaled == signaled && ((ExitStatus) o).value == value
                && ((ExitStatus) o).coreDumped == coreDumped;
    }

    @Override
    public int hashCode() {
        return (signaled ? 1000 : 0) + value + (coreDumped ? 500 : 0);
    }

    /** {@code exit 3}, or {@code killed by SIGKILL (9)}, with {@code , core dumped} where it did. */
    @Override
    public String toString() {
        return signaled ? "killed by " + signalName(value) + " (" + value + ")" + (coreDumped ? ", core dumped" : "") : "exit " + value;
    }
}
