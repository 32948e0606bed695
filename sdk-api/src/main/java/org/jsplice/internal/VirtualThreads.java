package org.jsplice.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code Thread.isVirtual()} on a JDK that has it (21 and later), false on the others, looked up
 * once. Only the paths that are about to wait ask: a call that completes at once never does.
 */
public final class VirtualThreads {
    private static final MethodHandle IS_VIRTUAL = lookUp();
    private static final MethodHandle START = lookUpStart();

    private VirtualThreads() {
    }

    private static MethodHandle lookUp() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17 to 20: no virtual threads
        }
    }

    private static MethodHandle lookUpStart() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Starts {@code task} on a new virtual thread ({@code Thread.startVirtualThread}).
     *
     * @param task what the thread runs
     * @return the thread
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    public static Thread start(Runnable task) {
        MethodHandle h = START;
        if (h == null) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later");
        }
        try {
            return (Thread) h.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.startVirtualThread failed", e);
        }
    }

    /**
     * Whether {@code thread} is a virtual thread.
     *
     * @param thread a thread
     * @return true on a virtual thread
     */
    public static boolean isVirtual(Thread thread) {
        MethodHandle h = IS_VIRTUAL;
        if (h == null) {
            return false;
        }
        try {
            return (boolean) h.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    /**
     * Whether the current thread is virtual.
     *
     * @return true on a virtual thread
     */
    public static boolean current() {
        return isVirtual(Thread.currentThread());
    }
}
