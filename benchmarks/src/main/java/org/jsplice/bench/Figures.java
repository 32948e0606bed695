package org.jsplice.bench;

import java.util.Arrays;
import java.util.Locale;

/** Medians, percentiles and paired ratios for the harnesses that alternate their sides in one JVM. */
final class Figures {
    private Figures() {
    }

    static double median(double[] values) {
        return PipeBench.median(values);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** The value at quantile {@code q} (0 to 1) of {@code count} values, nearest rank. */
    static long percentile(long[] values, int count, double q) {
        if (count == 0) {
            return 0;
        }
        long[] v = Arrays.copyOf(values, count);
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * count) - 1;
        return v[Math.max(0, Math.min(count - 1, rank))];
    }

    static double[] ratios(double[] a, double[] b) {
        return PipeBench.ratios(a, b);
    }

    /** {@code median [min, max]} with {@code format} for each figure. */
    static String spread(String format, double[] values) {
        return String.format(Locale.ROOT, format + " [" + format + ", " + format + "]", median(values), min(values), max(values));
    }
}
