package org.jsplice.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * glibc's {@code posix_spawn} family, bound by JNA direct mapping apart from {@link LibC}: two of
 * them ({@code addclosefrom_np} from glibc 2.34, {@code addchdir_np} from 2.29) are missing from an
 * older libc, and that must cost child processes only, never the pipes. Each returns 0 or an error
 * number, as in C; pointers are {@code long}.
 *
 * <p>Registration never throws: a failure is kept in {@link #LINK_FAILURE}.
 */
final class LibSpawn {
    /** Why binding failed, or {@code null} when every native below is usable. */
    static final Throwable LINK_FAILURE;

    static {
        Throwable failure = null;
        try {
            Native.register(LibSpawn.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        } catch (Throwable t) {
            failure = t;
        }
        LINK_FAILURE = failure;
    }

    private LibSpawn() {
    }

    static native int posix_spawnp(long pid, long file, long file_actions, long attrp, long argv, long envp);

    static native int posix_spawn_file_actions_init(long file_actions);

    static native int posix_spawn_file_actions_destroy(long file_actions);

    static native int posix_spawn_file_actions_adddup2(long file_actions, int fildes, int newfildes);

    static native int posix_spawn_file_actions_addopen(long file_actions, int fildes, long path, int oflag, int mode);

    static native int posix_spawn_file_actions_addclosefrom_np(long file_actions, int from);

    static native int posix_spawn_file_actions_addchdir_np(long file_actions, long path);

    static native int posix_spawnattr_init(long attr);

    static native int posix_spawnattr_destroy(long attr);

    static native int posix_spawnattr_setflags(long attr, short flags);

    static native int posix_spawnattr_setpgroup(long attr, int pgroup);

    static native int posix_spawnattr_setsigmask(long attr, long sigmask);

    static native int posix_spawnattr_setsigdefault(long attr, long sigdefault);
}
