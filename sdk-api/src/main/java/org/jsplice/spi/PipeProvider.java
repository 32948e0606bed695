package org.jsplice.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import org.jsplice.NativeBuffer;
import org.jsplice.NativeFile;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;

/**
 * The service behind {@link org.jsplice.Pipes}: one implementation of the pipe calls for one
 * platform and binding technology.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: declare the implementation both in
 * {@code module-info.java} ({@code provides org.jsplice.spi.PipeProvider with ...}) and in {@code
 * META-INF/services/org.jsplice.spi.PipeProvider}. A provider needs a public no-argument constructor
 * that does no native work: probing belongs in {@link #isAvailable()}, which must not throw.
 * Implementations are thread-safe singletons.
 */
public interface PipeProvider {

    /**
     * {@return a short, stable name, such as {@code jna}}; the system property {@code
     * org.jsplice.provider} may name it.
     */
    String name();

    /** {@return this provider's priority}: among available providers the highest wins. */
    int priority();

    /** {@return whether this provider works on this machine}; decided once and remembered, never throws. */
    boolean isAvailable();

    /** {@return why {@link #isAvailable()} is false, or {@code null} when it is true}; never throws. */
    Throwable unavailabilityCause();

    /**
     * {@return whether {@code vmsplice} really moves pages}: false once the system refused it and
     * writes are copied instead.
     */
    boolean isZeroCopy();

    /** {@return {@code sysconf(_SC_IOV_MAX)}, the most segments one call takes} */
    int iovMax();

    /** {@return {@code sysconf(_SC_PAGESIZE)}, the size of a page in bytes} */
    long pageSize();

    /**
     * Opens a new pipe ({@code pipe2(2)} with {@code O_CLOEXEC} and the options).
     *
     * @param options {@link PipeOption#NONBLOCKING}, {@link PipeOption#DIRECT}, or none
     * @return both ends, each owning its descriptor
     * @throws IOException if the system refuses ({@code EMFILE}, {@code ENFILE})
     */
    Pipe open(Set<PipeOption> options) throws IOException;

    /**
     * A sink over an existing descriptor, without checking what it is: errors show in the first
     * call. An {@code owned} descriptor is closed by the sink's {@code close()}.
     *
     * @param fd the descriptor, normally the write end of a pipe or FIFO
     * @param owned whether the sink's {@code close()} closes it
     * @return the sink
     */
    PipeSink sink(int fd, boolean owned);

    /**
     * A source over an existing descriptor, as {@link #sink(int, boolean)}.
     *
     * @param fd the descriptor, normally the read end of a pipe or FIFO
     * @param owned whether the source's {@code close()} closes it
     * @return the source
     */
    PipeSource source(int fd, boolean owned);

    /**
     * Creates a FIFO at {@code path} ({@code mkfifo(3)}) with the permission bits {@code mode}.
     *
     * @param path where, not yet existing
     * @param mode the permission bits, such as {@code 0600}, before the umask
     * @throws IOException if the path exists or cannot be created, naming the errno
     */
    void mkfifo(Path path, int mode) throws IOException;

    /**
     * Opens the FIFO at {@code path} for writing, waiting as {@code open(2)} does until a reader
     * opens it too, at most {@code timeout} ({@code null}: as long as it takes). An interrupt ends
     * the wait. The sink owns the descriptor. {@code Fifos} implements the waiting for a provider.
     *
     * @param path the FIFO
     * @param timeout the longest wait for a reader, or {@code null} for no limit
     * @return the sink, owning its descriptor
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted while it waited
     * @throws java.nio.channels.InterruptedByTimeoutException if no reader came within the timeout
     * @throws IOException if {@code path} is not a FIFO (nothing stays open then)
     */
    PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException;

    /**
     * Opens the FIFO at {@code path} for reading, as {@link #openFifoSink(Path, java.time.Duration)}.
     *
     * @param path the FIFO
     * @param timeout the longest wait for a writer, or {@code null} for no limit
     * @return the source, owning its descriptor
     * @throws IOException as {@link #openFifoSink(Path, java.time.Duration)}
     */
    PipeSource openFifoSource(Path path, java.time.Duration timeout) throws IOException;

    /**
     * Opens a file ({@code open(2)} with {@code O_CLOEXEC}) with the options, as {@code
     * Files.newByteChannel} reads them.
     *
     * @param path the file
     * @param options {@link java.nio.file.StandardOpenOption}s
     * @return the file, owning its descriptor
     * @throws IOException if {@code open(2)} fails, naming the errno
     */
    NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException;

    /**
     * What kind of file {@code fd} is ({@code fstat(2)} or an equivalent).
     *
     * @param fd an open descriptor
     * @return its type
     * @throws IOException {@code EBADF} if {@code fd} is not open
     */
    FileType fileType(int fd) throws IOException;

    /**
     * {@code size} bytes of page-aligned memory from {@code mmap(2)}, optionally on huge pages.
     *
     * @param size the bytes, at least 1
     * @param hugePages whether to ask for transparent huge pages ({@code MADV_HUGEPAGE}), which the
     *     kernel may refuse
     * @return the memory, zero-filled
     * @throws IOException if {@code mmap(2)} fails ({@code ENOMEM})
     */
    NativeBuffer allocate(long size, boolean hugePages) throws IOException;

    /**
     * {@return the address of a direct buffer's first byte} (not of its position)
     *
     * @param direct a direct buffer
     * @throws IllegalArgumentException if the buffer is not direct
     */
    long address(ByteBuffer direct);

    /**
     * The descriptor behind one of this provider's pipe ends, decorated or not, for a child
     * process to open as {@code /proc/self/fd/N} ({@link org.jsplice.process.PipedProcess}) or for a
     * statistic to name; the end keeps it.
     *
     * @param end a pipe end
     * @return its descriptor, or -1 when this provider did not make it or its ends have none
     */
    default int descriptor(java.nio.channels.Channel end) {
        return -1;
    }

    /**
     * This provider's system calls, for the core's child processes ({@link
     * org.jsplice.process.ChildRun} starts its children itself with {@code posix_spawnp}, in process
     * groups of their own, and waits for them on pidfds). Providers not built on {@link
     * NativePipeProvider} have none.
     *
     * @return the calls
     * @throws UnsupportedOperationException if this provider has none
     */
    default SystemCalls systemCalls() {
        throw new UnsupportedOperationException("the " + name() + " provider cannot start child processes: it exposes no system calls");
    }
}
