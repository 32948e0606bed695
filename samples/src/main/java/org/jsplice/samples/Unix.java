package org.jsplice.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.jsplice.Errno;
import org.jsplice.PipeException;
import picocli.CommandLine.IVersionProvider;

/**
 * The conventions of coreutils that the samples follow: one line {@code PROGRAM: NAME: reason} per
 * failure on standard error, the other operands still processed, exit status 1 at the end; silent
 * when the reader goes away, with the status a shell reports for SIGPIPE.
 */
final class Unix {
    /** 128 + SIGPIPE: what a shell reports for {@code cat big | head}, where cat dies of SIGPIPE. */
    static final int BROKEN_PIPE_STATUS = 141;

    private Unix() {
    }

    /** Whether {@code e} says that standard output's reader went away. */
    static boolean isBrokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PipeException && ((PipeException) t).errno() == Errno.EPIPE) {
                return true;
            }
            if (t instanceof IOException && "Broken pipe".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The reason as {@code strerror} words it, as coreutils print it. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT.description();
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES.description();
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR.description();
        }
        if (e instanceof PipeException) {
            return ((PipeException) e).errno().description();
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Prints {@code program: name: reason}. */
    static void fail(String program, String name, IOException e) {
        System.err.println(program + ": " + name + ": " + reason(e));
    }

    /** A failure of standard output, told apart from the failure of an input. */
    static final class OutputFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        OutputFailure(IOException cause) {
            super(cause);
        }
    }

    /** {@code --version}: the program and the version of the jar it runs from. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Unix.class.getPackage().getImplementationVersion();
            return new String[] {"${COMMAND-FULL-NAME} (jsplice samples) " + (v == null ? "development build" : v)};
        }
    }
}
