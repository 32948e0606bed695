package org.jsplice.internal;

import java.io.Closeable;
import java.io.IOException;

/** Closing several things at once, as Agrona's {@code CloseHelper.closeAll} does. */
public final class Closing {
    private Closing() {
    }

    /**
     * Closes each of {@code things} in order, skipping nulls, also when an earlier one fails; the
     * first failure is thrown, with the later ones added as suppressed.
     *
     * @param things what to close; nulls are skipped
     * @throws IOException the first failure
     */
    public static void closeAll(Closeable... things) throws IOException {
        IOException failure = null;
        for (Closeable c : things) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
