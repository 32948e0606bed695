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

    private VirtualThreads() {
    }

    private static MethodHandle lookUp() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17 to 20: no virtual threads
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
