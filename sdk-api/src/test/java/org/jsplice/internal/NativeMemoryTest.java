package org.jsplice.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The account of native memory on shares of its own, with a limit of 1 MiB: what dropped owners
 * hold is given back before more is counted, what is in use is never refused.
 */
class NativeMemoryTest {
    private static final long MIB = 1L << 20;
    private final NativeMemory account = new NativeMemory(MIB);

    @Test
    void theLimitIsBytesOrKibiMebiOrGibibytes() {
        assertEquals(4096, NativeMemory.limit("4096"));
        assertEquals(512L << 10, NativeMemory.limit("512k"));
        assertEquals(256L << 20, NativeMemory.limit(" 256M "));
        assertEquals(2L << 30, NativeMemory.limit("2g"));
        assertEquals(NativeMemory.DEFAULT_LIMIT, NativeMemory.limit(null));
        for (String wrong : new String[] {"", "0", "-1m", "lots", "1t", "99999999999999g"}) {
            assertEquals(NativeMemory.DEFAULT_LIMIT, NativeMemory.limit(wrong), wrong);
        }
    }

    @Test
    void aShareCountsUntilReleasedAndNeverBelowNothing() {
        NativeMemory.Share s = account.share();
        s.add(3 * MIB);
        s.add(-MIB);
        assertEquals(2 * MIB, account.held());
        s.add(-5 * MIB);
        assertEquals(0, s.bytes());
        s.add(MIB);
        s.release();
        s.add(MIB);
        s.release();
        assertEquals(0, account.held());
        assertEquals(0, s.bytes());
    }

    @Test
    @Timeout(60)
    void roomWithinTheLimitAsksForNoCollection() {
        NativeMemory.Share s = account.share();
        s.add(MIB / 2);
        account.makeRoom(MIB / 2);
        assertEquals(0, account.collections());
    }

    @Test
    @Timeout(60)
    void whatDroppedOwnersHoldIsGivenBackBeforeMore() {
        dropOwnerHolding(4 * MIB);
        assertEquals(4 * MIB, account.held());
        account.makeRoom(MIB / 2);
        assertEquals(1, account.collections());
        assertEquals(0, account.held(), "the dropped owner's share is released by the cleaner before makeRoom returns");
    }

    /** An object that holds {@code bytes} of the account until it is unreachable, dropped at once. */
    private void dropOwnerHolding(long bytes) {
        NativeMemory.Share s = account.share();
        s.add(bytes);
        Cleaners.CLEANER.register(new Object(), s::release);
    }

    @Test
    @Timeout(60)
    void memoryInUseIsNeverRefusedAndMovesTheBoundOnce() {
        NativeMemory.Share inUse = account.share();
        inUse.add(4 * MIB);
        account.makeRoom(MIB); // over the bound, and nothing to free: it returns all the same
        assertEquals(1, account.collections());
        inUse.add(MIB);
        account.makeRoom(MIB / 2);
        assertEquals(1, account.collections(), "the bound moved to what is in use plus the limit");
        dropOwnerHolding(MIB);
        account.makeRoom(MIB / 2);
        assertEquals(2, account.collections(), "more than a limit over what is in use asks again");
        assertEquals(5 * MIB, account.held());
        inUse.release();
        assertEquals(0, account.held());
        NativeMemory.Share next = account.share();
        next.add(MIB / 2);
        account.makeRoom(MIB);
        assertEquals(3, account.collections(), "once given back, the bound is the limit again");
        next.release();
    }
}
