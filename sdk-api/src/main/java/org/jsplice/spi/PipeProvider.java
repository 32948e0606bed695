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

    /** A short, stable name, such as {@code jna}; the system property {@code org.jsplice.provider} may name it. */
    String name();

    /** Among available providers the highest priority wins. */
    int priority();

    /** Whether this provider works on this machine; decided once and remembered. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or {@code null} when it is true. */
    Throwable unavailabilityCause();

    /** Whether {@code vmsplice} really moves pages; false once the system refused it and writes are copied instead. */
    boolean isZeroCopy();

    /** {@code sysconf(_SC_IOV_MAX)}: the most segments one call takes. */
    int iovMax();

    /** {@code sysconf(_SC_PAGESIZE)}. */
    long pageSize();

    /** A new pipe ({@code pipe2(2)} with {@code O_CLOEXEC} and the options). */
    Pipe open(Set<PipeOption> options) throws IOException;

    /**
     * A sink over an existing descriptor, without checking what it is: errors show in the first
     * call. An {@code owned} descriptor is closed by the sink's {@code close()}.
     */
    PipeSink sink(int fd, boolean owned);

    /** A source over an existing descriptor, as {@link #sink(int, boolean)}. */
    PipeSource source(int fd, boolean owned);

    /** Creates a FIFO at {@code path} ({@code mkfifo(3)}) with the permission bits {@code mode}. */
    void mkfifo(Path path, int mode) throws IOException;

    /**
     * Opens the FIFO at {@code path} for writing, waiting as {@code open(2)} does until a reader
     * opens it too, at most {@code timeout} ({@code null}: as long as it takes). An interrupt ends
     * the wait. The sink owns the descriptor. {@link Fifos} implements the waiting for a provider.
     *
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted while it waited
     * @throws java.nio.channels.InterruptedByTimeoutException if no reader came within the timeout
     * @throws IOException if {@code path} is not a FIFO (nothing stays open then)
     */
    PipeSink openFifoSink(Path path, java.time.Duration timeout) throws IOException;

    /** Opens the FIFO at {@code path} for reading, as {@link #openFifoSink(Path, java.time.Duration)}. */
    PipeSource openFifoSource(Path path, java.time.Duration timeout) throws IOException;

    /** Opens a file ({@code open(2)} with {@code O_CLOEXEC}) with the options, as {@code Files.newByteChannel} reads them. */
    NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException;

    /** What kind of file {@code fd} is ({@code fstat(2)} or an equivalent). */
    FileType fileType(int fd) throws IOException;

    /** {@code size} bytes of page-aligned memory from {@code mmap(2)}, optionally on huge pages. */
    NativeBuffer allocate(long size, boolean hugePages) throws IOException;

    /** The address of a direct buffer's first byte (not of its position). */
    long address(ByteBuffer direct);
}
