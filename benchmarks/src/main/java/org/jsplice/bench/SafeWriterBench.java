package org.jsplice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The safe writer against what it must match: {@code PipeWriter}'s default ({@code SAFE}, in the mode
 * it chooses here), its copying mode, {@code RECYCLE}, {@code FileOutputStream}, and the C writers of
 * {@code safewriter.c} and {@code pipebench.c}. Every writer writes the stream pattern into every
 * byte it sends, right before sending it (a writer that does not write its data measures page
 * references only). Each goes into pipebench's reader ({@code read(2)}, or {@code splice(2)} to
 * /dev/null), 1 MiB pipe, alternating writers A B C ... A B C; prints medians and the medians of
 * paired ratios, and writes them to {@code benchmarks/results/safewriter.md}.
 *
 * <pre>SafeWriterBench [total, default 4g] [repetitions, default 5]</pre>
 */
public final class SafeWriterBench {
    private static final int PIPE = 1 << 20;
    private static final int[] CHUNKS = {64 << 10, 256 << 10};
    private static final String[] CONSUMERS = {"splice", "read"};

    private SafeWriterBench() {
    }

    /** The ratios that carry the targets, numerator first. */
    private static final String[][] PAIRS = {
        {"jsplice SAFE (default)", "jsplice RECYCLE"},
        {"jsplice SAFE (default)", "C safewriter batch, huge"},
        {"jsplice SAFE (default)", "Java FileOutputStream"},
        {"jsplice SAFE COPY", "Java FileOutputStream"},
        {"jsplice SAFE COPY", "C write"},
        {"jsplice RECYCLE", "C safewriter recycle, huge"},
        {"C safewriter batch", "C write"},
    };

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? PipeBench.parseSize(args[0]) : 4L << 30;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path target = Path.of("benchmarks", "target").toAbsolutePath();
        String pipebench = PipeBench.compileC(PipeBench.cSource("pipebench.c"), target.resolve("pipebench"));
        String safewriter = PipeBench.compileC(PipeBench.cSource("safewriter.c"), target.resolve("safewriter"));
        String jar = Path.of(SafeWriterBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String java = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:+UseSerialGC "
                + "--enable-native-access=ALL-UNNAMED -cp '" + jar + "' " + JavaWriter.class.getName();

        Map<String, String> writers = new LinkedHashMap<>(); // label -> command with %d (bytes) and %k (chunk)
        writers.put("jsplice SAFE (default)", java + " safe %n %k " + PIPE + " huge fill");
        writers.put("jsplice SAFE COPY", java + " safe-copy %n %k " + PIPE + " huge fill");
        writers.put("jsplice RECYCLE", java + " recycle %n %k " + PIPE + " huge fill");
        writers.put("Java FileOutputStream", java + " fos %n %k " + PIPE + " x fill");
        writers.put("C safewriter batch, huge", "'" + safewriter + "' batch %n %k " + PIPE + " 8m huge");
        writers.put("C safewriter batch", "'" + safewriter + "' batch %n %k " + PIPE + " 8m");
        writers.put("C safewriter recycle, huge", "'" + safewriter + "' recycle %n %k " + PIPE + " 8m huge");
        writers.put("C write", "'" + pipebench + "' w write -f -n %n -s %k -p " + PIPE);

        Map<String, double[][][]> rates = new LinkedHashMap<>();
        for (String w : writers.keySet()) {
            rates.put(w, new double[CONSUMERS.length][CHUNKS.length][reps]);
        }
        for (int c = 0; c < CONSUMERS.length; c++) {
            for (int k = 0; k < CHUNKS.length; k++) {
                String reader = " | '" + pipebench + "' r " + CONSUMERS[c] + " -s " + CHUNKS[k] + " -p " + PIPE + " -n " + total;
                for (int r = 0; r < reps; r++) {
                    for (Map.Entry<String, String> w : writers.entrySet()) {
                        String cmd = w.getValue().replace("%n", Long.toString(total)).replace("%k", Integer.toString(CHUNKS[k]));
                        double rate = PipeBench.run(cmd + " 2>/dev/null" + reader);
                        rates.get(w.getKey())[c][k][r] = rate;
                        System.err.printf(Locale.ROOT, "%-28s %-6s %4d KiB  %6.2f GiB/s%n", w.getKey(), CONSUMERS[c],
                                CHUNKS[k] >> 10, rate);
                    }
                }
            }
        }
        String table = table(rates, total, reps);
        System.out.println(table);
        Path results = Path.of("benchmarks", "results");
        Files.createDirectories(results);
        Files.writeString(results.resolve("safewriter.md"), table);
    }

    private static String table(Map<String, double[][][]> rates, long total, int reps) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Safe writers, GiB/s by the reader (median of %d alternating runs, %d GiB each, "
                + "pipe 1 MiB, every byte written before it is sent; rate over the second half of the bytes). %s%n%n",
                reps, total >> 30, PipeBench.machine()));
        StringBuilder head = new StringBuilder("| writer |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String c : CONSUMERS) {
            for (int k : CHUNKS) {
                head.append(' ').append(c).append(' ').append(k >> 10).append("K |");
                rule.append("---|");
            }
        }
        sb.append(head).append('\n').append(rule).append('\n');
        for (Map.Entry<String, double[][][]> e : rates.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (int c = 0; c < CONSUMERS.length; c++) {
                for (int k = 0; k < CHUNKS.length; k++) {
                    sb.append(String.format(Locale.ROOT, " %.2f |", PipeBench.median(e.getValue()[c][k])));
                }
            }
            sb.append('\n');
        }
        sb.append("\nMedian of paired ratios [lowest, highest]:\n\n").append(head).append('\n').append(rule).append('\n');
        for (String[] pair : PAIRS) {
            sb.append("| ").append(pair[0]).append(" / ").append(pair[1]).append(" |");
            for (int c = 0; c < CONSUMERS.length; c++) {
                for (int k = 0; k < CHUNKS.length; k++) {
                    double[] r = PipeBench.ratios(rates.get(pair[0])[c][k], rates.get(pair[1])[c][k]);
                    double lo = Double.MAX_VALUE;
                    double hi = 0;
                    for (double x : r) {
                        lo = Math.min(lo, x);
                        hi = Math.max(hi, x);
                    }
                    sb.append(String.format(Locale.ROOT, " %.2f [%.2f, %.2f] |", PipeBench.median(r), lo, hi));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
