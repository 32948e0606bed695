package org.jsplice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;

/**
 * The entry point: pipes, descriptors, memory and segments from the provider on the run-time path.
 *
 * <p>The provider is chosen on first use: the one named by the system property {@code
 * org.jsplice.provider} (a provider name such as {@code jna}, or a class name) if set, otherwise the
 * available provider with the highest priority among those {@link java.util.ServiceLoader} finds.
 * Without one, every method throws {@link IllegalStateException} saying what was found and what to
 * do: add {@code org.jsplice:sdk-jna} to the run-time path, enable native access, or fix a native
 * library. {@link #isAvailable()}, {@link #unavailabilityCause()} and {@link #ensureAvailability()}
 * ask first, as Netty's {@code Epoll} does. Thread-safe.
 */
public final class Pipes {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private Pipes() {
    }

    private static final class Holder {
        static final ProviderDiscovery.Selection SELECTION = ProviderDiscovery.choose(Pipes.class.getClassLoader(),
                System.getProperty(ProviderDiscovery.PROPERTY));
    }

    /**
     * Whether a provider can be used here. Decided once, on first use of this class's methods;
     * never throws. When false, {@link #unavailabilityCause()} says why.
     *
     * @return true if {@link #provider()} returns a provider
     */
    public static boolean isAvailable() {
        return Holder.SELECTION.provider != null;
    }

    /**
     * Why no provider can be used: an {@link IllegalStateException} whose message says what to do
     * (enable native access and with which flag, fix a native library that did not link, or add an
     * artifact), whose cause is the leading provider's own cause, unwrapped from initializer errors,
     * and with every other provider's trouble suppressed in it. Never throws.
     *
     * @return the cause, or {@code null} when {@link #isAvailable()} is true
     */
    public static Throwable unavailabilityCause() {
        return Holder.SELECTION.failure;
    }

    /**
     * Throws unless a provider can be used, for applications that check at start-up.
     *
     * @throws IllegalStateException with the message and causes of {@link #unavailabilityCause()}
     */
    public static void ensureAvailability() {
        provider();
    }

    /**
     * The provider in use.
     *
     * @return the provider chosen on first use
     * @throws IllegalStateException if none is available, with what was found and what to do
     */
    public static PipeProvider provider() {
        ProviderDiscovery.Selection s = Holder.SELECTION;
        if (s.provider == null) {
            throw new IllegalStateException(s.failure.getMessage(), s.failure);
        }
        return s.provider;
    }

    private static final class Semantics {
        static final VmspliceSemantics VALUE;
        static final IOException FAILURE;

        static {
            VmspliceSemantics value = null;
            IOException failure = null;
            try {
                value = probeSemantics();
            } catch (IOException e) {
                failure = e;
            }
            VALUE = value;
            FAILURE = failure;
        }
    }

    /**
     * Whether this kernel's {@code vmsplice} hands the pipe references to the caller's pages, copies
     * them, or is refused, measured once per process: one page filled with one byte value is spliced
     * into a new pipe, then overwritten, then read back. {@link VmspliceSemantics#REFUSED} where the
     * call was refused and the provider copies with {@code writev(2)} instead ({@link
     * PipeProvider#isZeroCopy()} false), also when the refusal came after the probe (a FIFO that
     * refuses {@code SPLICE_F_NONBLOCK} on a kernel whose {@code vmsplice} copies).
     *
     * @return what the probe saw, or {@code REFUSED} once the provider copies
     * @throws IOException if the probe's pipe or memory could not be had (the same failure each time)
     */
    public static VmspliceSemantics vmspliceSemantics() throws IOException {
        if (!provider().isZeroCopy()) {
            // Refused since the probe ran (the provider copies from the first refusal on): say so now.
            return VmspliceSemantics.REFUSED;
        }
        if (Semantics.VALUE == null) {
            throw new IOException("could not measure vmsplice's semantics: " + Semantics.FAILURE.getMessage(),
                    Semantics.FAILURE);
        }
        return Semantics.VALUE;
    }

    private static VmspliceSemantics probeSemantics() throws IOException {
        PipeProvider p = provider();
        int page = (int) p.pageSize();
        try (Pipe pipe = p.open(EnumSet.noneOf(PipeOption.class)); NativeBuffer memory = p.allocate(page, false)) {
            ByteBuffer view = memory.asByteBuffer();
            fill(view, (byte) 'A');
            pipe.sink().vmspliceFully(java.util.List.of(memory.slice(0, page)));
            fill(view, (byte) 'B');
            ByteBuffer back = ByteBuffer.allocateDirect(page);
            while (back.hasRemaining()) {
                if (pipe.source().read(back) < 0) {
                    throw new IOException("the probe pipe ended after " + back.position() + " of " + page + " bytes");
                }
            }
            if (!p.isZeroCopy()) {
                return VmspliceSemantics.REFUSED;
            }
            return back.get(0) == 'B' ? VmspliceSemantics.REFERENCES_PAGES : VmspliceSemantics.COPIES;
        }
    }

    private static void fill(ByteBuffer view, byte value) {
        for (int i = 0; i < view.capacity(); i++) {
            view.put(i, value);
        }
    }

    /**
     * A new pipe, {@code O_CLOEXEC}, with the options given. The caller owns it and closes it.
     *
     * @param options {@link PipeOption#NONBLOCKING}, {@link PipeOption#DIRECT}, or none
     * @return both ends
     * @throws IOException if the system refuses ({@code EMFILE}, {@code ENFILE})
     */
    public static Pipe open(PipeOption... options) throws IOException {
        EnumSet<PipeOption> set = EnumSet.noneOf(PipeOption.class);
        for (PipeOption o : options) {
            set.add(Objects.requireNonNull(o, "options must not contain null"));
        }
        return provider().open(set);
    }

    /**
     * A sink over standard output (descriptor 1), which must be a pipe or FIFO. Closing the sink does
     * not close descriptor 1: the rest of the program (and {@link System#out}) may still use it.
     *
     * @return the sink
     * @throws IOException if standard output is not a pipe, saying what it is instead
     */
    public static PipeSink stdout() throws IOException {
        requirePipe(STDOUT, "standard output", "prog | consumer");
        return provider().sink(STDOUT, false);
    }

    /**
     * A source over standard input (descriptor 0), which must be a pipe or FIFO. Closing the source
     * does not close descriptor 0.
     *
     * @return the source
     * @throws IOException if standard input is not a pipe, saying what it is instead
     */
    public static PipeSource stdin() throws IOException {
        requirePipe(STDIN, "standard input", "producer | prog");
        return provider().source(STDIN, false);
    }

    private static void requirePipe(int fd, String what, String usage) throws IOException {
        FileType type = provider().fileType(fd);
        if (type != FileType.FIFO) {
            throw new IOException(what + " (fd " + fd + ") is " + type.description()
                    + ", not a pipe or FIFO; vmsplice(2) needs a pipe: run it as `" + usage + "`");
        }
    }

    /**
     * Adopts the write end of a pipe: the sink owns {@code fd} and closes it. Nothing is checked
     * here; a descriptor that is not a pipe's write end fails the first call with {@code EBADF}.
     *
     * @param fd the descriptor, which the caller gives up
     * @return the sink
     */
    public static PipeSink sink(int fd) {
        return provider().sink(fd, true);
    }

    /**
     * Adopts the read end of a pipe, as {@link #sink(int)}.
     *
     * @param fd the descriptor, which the caller gives up
     * @return the source
     */
    public static PipeSource source(int fd) {
        return provider().source(fd, true);
    }

    /**
     * Creates a FIFO (a named pipe) at {@code path}, readable and writable by its owner only.
     *
     * @param path where, not yet existing
     * @throws IOException if the path exists or cannot be created, naming the errno
     */
    public static void mkfifo(Path path) throws IOException {
        provider().mkfifo(Objects.requireNonNull(path, "path"), 0600);
    }

    /**
     * Opens the FIFO at {@code path} for writing; waits until a reader opens it, for as long as it
     * takes; an interrupt ends the wait ({@link java.nio.channels.ClosedByInterruptException}). The
     * sink owns the descriptor. To feed a child started with {@code
     * ProcessBuilder.redirectInput(path.toFile())}, open the sink on another thread: {@code start()}
     * opens the FIFO for reading itself and waits for a writer too.
     *
     * @param path the FIFO
     * @return the sink
     * @throws IOException if {@code path} is not a FIFO
     */
    public static PipeSink openFifoSink(Path path) throws IOException {
        return provider().openFifoSink(Objects.requireNonNull(path, "path"), null);
    }

    /**
     * As {@link #openFifoSink(Path)}, waiting at most {@code timeout} for a reader.
     *
     * @param path the FIFO
     * @param timeout the longest wait
     * @return the sink
     * @throws IOException as {@link #openFifoSink(Path)}
     * @throws java.nio.channels.InterruptedByTimeoutException if no reader opened it in time
     */
    public static PipeSink openFifoSink(Path path, Duration timeout) throws IOException {
        return provider().openFifoSink(Objects.requireNonNull(path, "path"), Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Opens the FIFO at {@code path} for reading; waits until a writer opens it, as {@link
     * #openFifoSink(Path)}.
     *
     * @param path the FIFO
     * @return the source
     * @throws IOException if {@code path} is not a FIFO
     */
    public static PipeSource openFifoSource(Path path) throws IOException {
        return provider().openFifoSource(Objects.requireNonNull(path, "path"), null);
    }

    /**
     * As {@link #openFifoSource(Path)}, waiting at most {@code timeout} for a writer.
     *
     * @param path the FIFO
     * @param timeout the longest wait
     * @return the source
     * @throws IOException as {@link #openFifoSource(Path)}
     * @throws java.nio.channels.InterruptedByTimeoutException if no writer opened it in time
     */
    public static PipeSource openFifoSource(Path path, Duration timeout) throws IOException {
        return provider().openFifoSource(Objects.requireNonNull(path, "path"), Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Opens a file as a target for {@link PipeSource#splice(NativeFile, long, long, SpliceFlag...)},
     * with the options as {@link java.nio.file.Files#newByteChannel} reads them ({@code READ} when
     * none is given). The caller owns it and closes it.
     *
     * @param path the file
     * @param options {@link java.nio.file.StandardOpenOption}s
     * @return the file
     * @throws IOException if {@code open(2)} fails, naming the errno
     */
    public static NativeFile openFile(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        return provider().openFile(Objects.requireNonNull(path, "path"), set);
    }

    /**
     * {@code size} bytes of page-aligned memory from {@code mmap(2)}; the caller owns it.
     *
     * @param size the bytes, at least 1
     * @return the memory, zero-filled
     * @throws IOException if {@code mmap(2)} fails ({@code ENOMEM})
     */
    public static NativeBuffer allocate(long size) throws IOException {
        checkSize(size);
        return provider().allocate(size, false);
    }

    /**
     * {@code size} bytes of memory aligned to 2 MiB and advised onto transparent huge pages ({@code
     * madvise(MADV_HUGEPAGE)}); where the kernel refuses, ordinary pages, as {@link
     * NativeBuffer#hugePages()} tells.
     *
     * @param size the bytes, at least 1
     * @return the memory, zero-filled
     * @throws IOException if {@code mmap(2)} fails ({@code ENOMEM})
     */
    public static NativeBuffer allocateHuge(long size) throws IOException {
        checkSize(size);
        return provider().allocate(size, true);
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: size=" + size);
        }
    }

    /**
     * The segment from a direct buffer's position to its limit. The buffer keeps owning the memory,
     * and must stay reachable and unchanged as long as a pipe may hold the bytes.
     *
     * @param buffer a direct buffer
     * @return the segment
     * @throws IllegalArgumentException for a heap buffer: the kernel keeps referring to the memory
     *     after {@code vmsplice} returns, and the garbage collector may move or copy a heap array at
     *     any time, so only native memory can be spliced
     */
    public static IoVec ioVec(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a heap ByteBuffer cannot be spliced: the kernel keeps referring to the "
                    + "memory after vmsplice returns, and the garbage collector may move or copy a heap array; "
                    + "use a direct buffer or Pipes.allocate: isDirect=false remaining=" + buffer.remaining());
        }
        return IoVec.of(provider().address(buffer) + buffer.position(), buffer.remaining());
    }
}
