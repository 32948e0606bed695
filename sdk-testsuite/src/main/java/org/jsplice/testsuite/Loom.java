package org.jsplice.testsuite;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Virtual threads for tests compiled for Java 17: {@code Thread.ofVirtual()} looked up on a JDK
 * that has it (21 and later). Tests that need them skip with {@link #REASON} elsewhere.
 */
public final class Loom {
    private static final MethodHandle UNSTARTED = lookUp();
    /** Why virtual-thread tests skip on this JDK. */
    public static final String REASON = "virtual threads need JDK 21 or later; this is " + Runtime.version();

    private Loom() {
    }

    private static MethodHandle lookUp() {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle ofVirtual = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
            MethodHandle unstarted = l.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
            return MethodHandles.foldArguments(unstarted, ofVirtual);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Whether this JDK has virtual threads. */
    public static boolean available() {
        return UNSTARTED != null;
    }

    /** A new virtual thread, not started. */
    public static Thread unstarted(Runnable task) {
        try {
            return (Thread) UNSTARTED.invokeExact(task);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new virtual thread, started. */
    public static Thread start(Runnable task) {
        Thread t = unstarted(task);
        t.start();
        return t;
    }

    /** The number of carrier threads: the scheduler's parallelism, as the JDK chooses it. */
    public static int carriers() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return p != null ? Integer.parseInt(p) : Runtime.getRuntime().availableProcessors();
    }
}
