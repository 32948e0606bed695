package org.jsplice.internal;

import java.lang.ref.Cleaner;

/**
 * The one {@link Cleaner} of jsplice's descriptors and writers: what an object dropped without
 * {@code close()} gives back once unreachable. Its actions hold the resources, never the object.
 */
public final class Cleaners {
    /** Daemon, so that it never keeps the JVM alive. */
    public static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jsplice-cleaner");
        t.setDaemon(true);
        return t;
    });

    private Cleaners() {
    }
}
