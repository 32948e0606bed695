package org.jsplice.testsuite;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;

/**
 * Every cancellation test again, with the waiting call on a virtual thread: there it parks in the
 * core's poller instead of poll(2), and close, interrupt and the counts must be the same.
 */
public abstract class VirtualThreadCancellationSuite extends CancellationSuite {
    @BeforeEach
    void needsVirtualThreads() {
        assumeTrue(Loom.available(), Loom.REASON);
    }

    @Override
    protected Thread newThread(Runnable task) {
        return Loom.unstarted(task);
    }
}
