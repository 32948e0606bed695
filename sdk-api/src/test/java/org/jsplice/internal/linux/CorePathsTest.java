package org.jsplice.internal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.PipeException;
import org.junit.jupiter.api.Test;

/**
 * The core's transfer loops against scripted system calls: the paths a real pipe takes only when
 * the kernel chooses (a short transfer, EAGAIN, EINTR, a refused vmsplice, a copy path without its
 * twin descriptor), forced one by one, and checked by what the core then asks of the kernel.
 */
class CorePathsTest {
    private static final int FD = 7;
    private static final long MEMORY = 0x5000_0000L;

    private final ScriptedSystemCalls raw = new ScriptedSystemCalls();

    private LinuxPipeSink sink() {
        return new LinuxPipeSink(raw, FD, false);
    }

    private static List<IoVec> segment(long length) {
        return List.of(IoVec.of(MEMORY, length));
    }

    private List<String> names() {
        return raw.calls.stream().map(c -> c.name).filter(n -> !n.equals("close")).collect(Collectors.toList());
    }

    @Test
    void aShortTransferResumesInsideTheSegmentWithoutWaiting() throws Exception {
        raw.vmsplice.addAll(List.of(100L, 3996L));
        try (LinuxPipeSink sink = sink()) {
            assertEquals(4096, sink.vmspliceFully(segment(4096)));
        }
        assertEquals(List.of("vmsplice", "poll", "vmsplice"), names(),
                "a transfer that stopped short filled the pipe: the core waits for room before the next");
        ScriptedSystemCalls.Call second = raw.calls.stream().filter(c -> c.name.equals("vmsplice")).skip(1).findFirst().get();
        assertArrayEquals(new long[] {MEMORY + 100, 3996}, second.iovecs.get(0), "resumed at the first byte not moved");
        assertEquals(Linux.SPLICE_F_NONBLOCK, second.flags & Linux.SPLICE_F_NONBLOCK, "every vmsplice is non-blocking");
    }

    @Test
    void eagainWaitsInPollForRoomThenTriesAgain() throws Exception {
        raw.vmsplice.addAll(List.of((long) -Errno.EAGAIN.code(), 4096L));
        try (LinuxPipeSink sink = sink()) {
            assertEquals(4096, sink.vmspliceFully(segment(4096)));
        }
        assertEquals(List.of("vmsplice", "poll", "vmsplice"), names());
        ScriptedSystemCalls.Call poll = raw.calls.stream().filter(c -> c.name.equals("poll")).findFirst().get();
        assertArrayEquals(new long[] {FD, Linux.POLLOUT}, poll.iovecs.get(0), "the sink waits for POLLOUT on its descriptor");
        assertEquals(-1, poll.flags, "without a timeout: close and interrupt end the wait through the eventfd");
        assertEquals(2, poll.iovecs.size(), "with the end's eventfd beside it");
    }

    @Test
    void aReadableWakeEventfdOnAnOpenEndIsAFailureNotASuccess() throws Exception {
        raw.vmsplice.add(100L);
        raw.eventfdsStartReadable = true;
        try (LinuxPipeSink sink = sink()) {
            PipeException e = assertThrows(PipeException.class, () -> sink.vmspliceFully(segment(4096)),
                    "a wait that ended without close must not let the call report every byte moved");
            assertEquals(100, e.bytesTransferred());
            assertTrue(sink.isOpen());
        }
    }

    @Test
    void eintrIsRetriedAtOnceWithoutWaiting() throws Exception {
        raw.vmsplice.addAll(List.of((long) -Errno.EINTR.code(), 4096L));
        try (LinuxPipeSink sink = sink()) {
            assertEquals(4096, sink.vmspliceFully(segment(4096)));
        }
        assertEquals(List.of("vmsplice", "vmsplice"), names());
    }

    @Test
    void aFailureAfterSomeBytesSaysHowManyMoved() throws Exception {
        raw.vmsplice.addAll(List.of(1000L, (long) -Errno.EPIPE.code()));
        try (LinuxPipeSink sink = sink()) {
            PipeException e = assertThrows(PipeException.class, () -> sink.vmspliceFully(segment(4096)));
            assertEquals(Errno.EPIPE, e.errno());
            assertEquals(1000, e.bytesTransferred());
        }
    }

    @Test
    void moreThanIovMaxSegmentsGoInBatches() throws Exception {
        List<IoVec> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(IoVec.of(MEMORY + 8192L * i, 10));
        }
        raw.vmsplice.addAll(List.of(10_240L, 4760L));
        try (LinuxPipeSink sink = sink()) {
            assertEquals(15_000, sink.vmspliceFully(many));
        }
        List<ScriptedSystemCalls.Call> v = raw.calls.stream().filter(c -> c.name.equals("vmsplice")).collect(Collectors.toList());
        assertEquals(1024, v.get(0).iovecs.size());
        assertEquals(476, v.get(1).iovecs.size(), "the second batch starts at segment 1024");
        assertArrayEquals(new long[] {MEMORY + 8192L * 1024, 10}, v.get(1).iovecs.get(0));
    }

    @Test
    void aRefusedVmspliceFallsBackToCopiesForGood() throws Exception {
        raw.vmsplice.add((long) -Errno.EPERM.code());
        raw.pwritev2.addAll(List.of(4096L, 4096L));
        try (LinuxPipeSink sink = sink()) {
            assertEquals(4096, sink.vmspliceFully(segment(4096)));
            assertEquals(4096, sink.vmspliceFully(segment(4096)));
        }
        assertEquals(List.of("vmsplice", "pwritev2", "pwritev2"), names(), "seccomp does not come off: no second vmsplice");
        assertEquals(Linux.RWF_NOWAIT, raw.calls.get(1).flags, "a copy that must not wait");
    }

    @Test
    void withoutRwfNowaitAndWithoutItsTwinACopyWaitsInPollAndWritesAPageAtATime() throws Exception {
        raw.vmsplice.add((long) -Errno.EPERM.code());
        raw.pwritev2.addAll(List.of((long) -Errno.EOPNOTSUPP.code(), 4096L, 4096L));
        raw.open.add(-Errno.EACCES.code()); // the twin through /proc/self/fd cannot be opened
        try (LinuxPipeSink sink = sink()) {
            assertEquals(8192, sink.vmspliceFully(segment(8192)));
        }
        // Each page: a look without waiting (poll, timeout 0), then the write; after the first, the
        // short transfer filled the pipe, so the loop also waits for room first (poll, no timeout).
        assertEquals(List.of("vmsplice", "pwritev2", "open /proc/self/fd/7", "poll", "pwritev2", "poll", "poll", "pwritev2"),
                names());
        List<Integer> timeouts = raw.calls.stream().filter(c -> c.name.equals("poll")).map(c -> c.flags).collect(Collectors.toList());
        assertEquals(List.of(0, -1, 0), timeouts);
        List<ScriptedSystemCalls.Call> writes = raw.calls.stream().filter(c -> c.name.equals("pwritev2")).skip(1)
                .collect(Collectors.toList());
        for (ScriptedSystemCalls.Call w : writes) {
            assertEquals(0, w.flags);
            assertEquals(ScriptedSystemCalls.PAGE, w.bytes(), "a page: one free slot always takes it, so the write cannot block");
        }
    }

    @Test
    void theTwinDescriptorServesCopiesWhereRwfNowaitIsRefused() throws Exception {
        raw.vmsplice.add((long) -Errno.EPERM.code());
        raw.pwritev2.addAll(List.of((long) -Errno.EOPNOTSUPP.code(), 8192L));
        raw.open.add(55);
        try (LinuxPipeSink sink = sink()) {
            assertEquals(8192, sink.vmspliceFully(segment(8192)));
        }
        ScriptedSystemCalls.Call last = raw.calls.stream().filter(c -> c.name.equals("pwritev2")).skip(1).findFirst().get();
        assertEquals(55, last.fd, "the copy goes to the non-blocking twin");
        assertTrue(raw.calls.stream().anyMatch(c -> c.name.equals("close") && c.fd == 55), "the twin is closed with the end");
    }

    @Test
    void nothingIsCalledForAnEmptyListAndAMisalignedGiftIsRefusedBeforeAnything() throws Exception {
        try (LinuxPipeSink sink = sink()) {
            assertEquals(0, sink.vmspliceFully(List.of()));
            assertEquals(0, sink.vmspliceFully(List.of(IoVec.of(MEMORY, 0))));
            List<IoVec> late = new java.util.ArrayList<>();
            for (int i = 0; i < 1100; i++) {
                late.add(IoVec.of(MEMORY + 4096L * i, 4096));
            }
            late.set(1050, IoVec.of(MEMORY + 1, 4096));
            PipeException e = assertThrows(PipeException.class, () -> sink.vmspliceFully(late, org.jsplice.SpliceFlag.GIFT));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(0, e.bytesTransferred());
        }
        assertEquals(List.of(), names(), "no system call at all");
    }

    @Test
    void aSinkOnAReadOnlyDescriptorRefusesVmspliceWithoutCallingIt() throws Exception {
        raw.getfl = Linux.O_RDONLY;
        try (LinuxPipeSink sink = sink()) {
            PipeException e = assertThrows(PipeException.class, () -> sink.vmspliceFully(segment(4096)));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().contains("open for reading only"), e.getMessage());
        }
        assertEquals(List.of(), names());
    }

    @Test
    void theScratchMemoryIsGivenBackAtClose() throws Exception {
        LinuxPipeSink sink = sink();
        ByteBuffer scratch = sink.scratch.memory;
        sink.close();
        assertThrows(AssertionError.class, () -> raw.address(scratch), "freed");
    }
}
