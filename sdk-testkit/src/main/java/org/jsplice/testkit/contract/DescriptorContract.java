package org.jsplice.testkit.contract;

import static org.jsplice.testkit.contract.Support.check;
import static org.jsplice.testkit.contract.Support.checkSameBytes;
import static org.jsplice.testkit.contract.Support.expectErrno;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.Pipe;
import org.jsplice.PipeOption;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.Descriptors;

/**
 * Rules on what a provider says about itself and about descriptors: its figures, its
 * availability, the type of each kind of descriptor, that an adopted descriptor it does not own
 * stays open, and the address of a direct buffer.
 */
public interface DescriptorContract extends ContractHook {

    /**
     * An available provider has no unavailability cause; its page size is a power of two of at least
     * 4 KiB and it takes at least 16 segments a call ({@code IOV_MAX} is 1024 on Linux).
     */
    @Example
    default void anAvailableProviderSaysSoAndGivesTheSystemsFigures() {
        PipeProvider provider = provider();
        check(provider.isAvailable(), () -> "the provider under test is unavailable: " + provider.unavailabilityCause());
        check(provider.unavailabilityCause() == null, () -> "an available provider gave a cause: "
                + provider.unavailabilityCause());
        long page = provider.pageSize();
        check(page >= 4096 && Long.bitCount(page) == 1, () -> "pageSize() is " + page);
        int iovMax = provider.iovMax();
        check(iovMax >= 16 && iovMax <= IoVec.IOV_MAX, () -> "iovMax() is " + iovMax);
        check(provider.name() != null && !provider.name().isBlank(), () -> "the provider has no name");
    }

    /**
     * {@code fileType} names each kind of descriptor: both ends of a pipe, a regular file, a
     * socket, a character device; a descriptor that is not open is {@code EBADF}.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void fileTypeNamesEachKindOfDescriptor() throws Exception {
        Support.needProcfs();
        PipeProvider provider = provider();
        Map<Integer, String> before = Descriptors.snapshot();
        try (Support.Scratch scratch = new Support.Scratch(); Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class));
                Descriptors.Held file = Descriptors.regularFile(scratch.dir);
                Descriptors.Held socket = Descriptors.unixSocket(scratch.dir);
                Descriptors.Held devNull = Descriptors.readOnly(Path.of("/dev/null"))) {
            List<Integer> readEnds = Descriptors.pipeReadEndsOpenedSince(before);
            check(readEnds.size() == 1, () -> "expected one new pipe read end in /proc/self/fd, found " + readEnds);
            expectType(provider, readEnds.get(0), FileType.FIFO);
            expectType(provider, file.fd(), FileType.REGULAR);
            expectType(provider, socket.fd(), FileType.SOCKET);
            expectType(provider, devNull.fd(), FileType.CHARACTER_DEVICE);
            int closed = Descriptors.closedNumber();
            expectErrno(Errno.EBADF, "fileType of closed fd " + closed, () -> provider.fileType(closed));
        }
    }

    private static void expectType(PipeProvider provider, int fd, FileType expected) throws Exception {
        FileType got = provider.fileType(fd);
        check(got == expected, () -> "fileType(" + fd + ") is " + got + ", expected " + expected);
    }

    /**
     * A sink or source adopted over a descriptor it does not own leaves it open when closed; the
     * descriptor's owner can still use it.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void closingAnAdoptedDescriptorThatIsNotOwnedLeavesItOpen() throws Exception {
        Support.needProcfs();
        PipeProvider provider = provider();
        try (Support.Scratch scratch = new Support.Scratch(); Descriptors.Held file = Descriptors.regularFile(scratch.dir)) {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + file.fd())).toString();
            provider.sink(file.fd(), false).close();
            provider.source(file.fd(), false).close();
            check(link.equals(Descriptors.snapshot().get(file.fd())),
                    () -> "closing a sink or source that does not own fd " + file.fd() + " closed it");
        }
    }

    /**
     * {@code address(direct)} is the address of the buffer's first byte, whatever its position:
     * a segment there carries the buffer's bytes. A heap buffer is refused with {@link
     * IllegalArgumentException}.
     *
     * @throws Exception if a call fails where the rule expects none; a broken rule throws {@link AssertionError}
     */
    @Example
    default void theAddressOfADirectBufferIsItsFirstByte() throws Exception {
        PipeProvider provider = provider();
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        byte[] content = Arrays.copyOf(Support.memory(provider).content, 4096);
        direct.put(content).position(100);
        try (Pipe pipe = provider.open(EnumSet.noneOf(PipeOption.class))) {
            pipe.sink().vmspliceFully(List.of(IoVec.of(provider.address(direct), 4096)));
            checkSameBytes(content, Support.read(pipe.source(), 4096), "the bytes at address(direct)");
        }
        try {
            long address = provider.address(ByteBuffer.allocate(16));
            throw new AssertionError("address(heap buffer) returned " + address);
        } catch (IllegalArgumentException expected) {
            // refused
        }
    }
}
