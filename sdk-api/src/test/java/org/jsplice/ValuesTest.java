package org.jsplice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void ioVecFactoryChecksItsInput() {
        assertEquals(IoVec.of(0x1000, 10), IoVec.of(0x1000, 10));
        assertNotEquals(IoVec.of(0x1000, 10), IoVec.of(0x1000, 11));
        assertEquals(IoVec.of(0x1000, 10).hashCode(), IoVec.of(0x1000, 10).hashCode());
        assertEquals("IoVec[address=0x1000, length=10]", IoVec.of(0x1000, 10).toString());
        assertEquals(0, IoVec.of(0, 0).length(), "an empty segment may have a null address");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> IoVec.of(0x1000, -1));
        assertTrue(negative.getMessage().contains("address=0x1000 length=-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IoVec.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> IoVec.of(-4096, 8192), "wraps around");
        assertThrows(IllegalArgumentException.class, () -> IoVec.of(-1, 2), "wraps around");
    }

    @Test
    void slicesAreBoundsCheckedWithoutOverflow() {
        IoVec v = IoVec.of(0x1000, 100);
        assertEquals(IoVec.of(0x1010, 20), v.slice(16, 20));
        assertEquals(IoVec.of(0x1064, 0), v.slice(100, 0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> v.slice(90, 11));
        assertEquals("slice out of range: offset=90 length=11 size=100", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> v.slice(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> v.slice(1, Long.MAX_VALUE));
        assertThrows(IndexOutOfBoundsException.class, () -> v.slice(Long.MAX_VALUE, 1));
    }

    @Test
    void aHeapBufferIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipes.ioVec(ByteBuffer.allocate(10)));
        assertTrue(e.getMessage().contains("the kernel keeps referring to the memory after vmsplice returns"), e.getMessage());
    }

    @Test
    void pipeExceptionNamesTheCallAndTheError() {
        PipeException e = new PipeException("vmsplice(fd=12, segments=3, flags=[GIFT])", 22);
        assertEquals("vmsplice(fd=12, segments=3, flags=[GIFT]) failed: EINVAL (Invalid argument)", e.getMessage());
        assertEquals(Errno.EINVAL, e.errno());
        PipeException named = new PipeException("read(fd=3, count=1)", 61, "detail");
        assertEquals(Errno.ENODATA, named.errno(), "every Linux code has its name, not only the common ones");
        assertEquals("read(fd=3, count=1) failed: ENODATA (No data available): detail", named.getMessage());
        PipeException other = new PipeException("read(fd=3, count=1)", 4095, "detail");
        assertEquals(Errno.OTHER, other.errno());
        assertEquals(4095, other.code());
        assertEquals("read(fd=3, count=1) failed: errno 4095: detail", other.getMessage());
        PipeException after = e.afterTransferOf(4096);
        assertEquals(4096, after.bytesTransferred());
        assertEquals(4096, PartialTransfer.of(after));
        assertTrue(after.getMessage().endsWith("(after 4096 bytes moved)"), after.getMessage());
    }

    @Test
    void errnoNumbersAreLinuxs() {
        for (Errno e : Errno.values()) {
            if (e != Errno.OTHER) {
                assertEquals(e, Errno.of(e.code()));
            }
        }
        assertEquals(Errno.EAGAIN, Errno.of(11));
        assertEquals(Errno.EPIPE, Errno.of(32));
        assertEquals(Errno.OTHER, Errno.of(0));
        assertEquals(Errno.OTHER, Errno.of(100_000));
    }

    @Test
    void spliceFlagsCarryTheirFcntlValues() {
        assertEquals(0xF, SpliceFlag.bits(SpliceFlag.values()));
        assertEquals(0x8, SpliceFlag.bits(SpliceFlag.GIFT, SpliceFlag.GIFT));
        assertEquals(0, SpliceFlag.bits());
    }
}
