package org.jsplice.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The end-to-end harness: Java writers and pipebench's C writers, each piped into pipebench's reader
 * (read(2) or splice(2) to /dev/null), alternating A B A B so that the machine's noise falls on all
 * alike. Prints a table of medians and of median paired ratios, and writes it with a PNG chart to
 * {@code benchmarks/results/}.
 *
 * <pre>PipeBench [total, default 4g] [repetitions, default 3]</pre>
 */
public final class PipeBench {
    private static final int PIPE = 1 << 20;
    private static final int[] CHUNKS = {4 << 10, 64 << 10, 256 << 10};
    private static final String[] CONSUMERS = {"read", "splice"};
    private static final Pattern RATE = Pattern.compile("READER .* gibps=([0-9.]+) gibps2h=([0-9.]+)");

    private PipeBench() {
    }

    /**
     * Runs into a splicing reader at 64 KiB and more move this many times the bytes for writers that
     * splice pages: at 40-60 GiB/s, 8 GiB lasts 0.2 s, and a JIT compiling in that time on one of the
     * two cores (C2 takes tens of milliseconds) cut the Java writers' rates by up to a fifth.
     */
    private static final int FAST_COLUMN_FACTOR = 8;

    /** The shell command that starts a writer for a chunk size and a number of bytes. */
    private interface Command {
        String apply(int chunk, long bytes);
    }

    /** One writer: a label, whether it splices pages (and so is fast), and its command. */
    private static final class Writer {
        final String label;
        final boolean vmsplice;
        final Command command;

        Writer(String label, boolean vmsplice, Command command) {
            this.label = label;
            this.vmsplice = vmsplice;
            this.command = command;
        }

        long bytes(long total, String consumer, int chunk) {
            return vmsplice && consumer.equals("splice") && chunk >= 64 << 10 ? total * FAST_COLUMN_FACTOR : total;
        }
    }

    /** A writer that takes {@code TOTAL SEG PIPE} after {@code program}, then {@code tail}. */
    private static Command positional(String program, String tail) {
        return (chunk, bytes) -> program + " " + bytes + " " + chunk + " " + PIPE + tail;
    }

    /** The ratios the table gives, numerator first; a pair whose writer did not run is left out. */
    private static final String[][] PAIRS = {
        {"jsplice vmspliceFully", "C vmsplice"},
        {"jsplice PipeWriter RECYCLE", "C vmsplice"},
        {"jsplice PipeWriter SAFE", "C vmsplice"},
        {"jsplice vmspliceFully, huge pages", "C vmsplice, huge pages"},
        {"jsplice PipeWriter RECYCLE, huge pages", "C vmsplice, huge pages"},
        {"jsplice vmspliceFully", "Java FileOutputStream"},
        {"jsplice PipeWriter RECYCLE", "Java FileOutputStream"},
        {"C vmsplice + JNA call cost", "C vmsplice"},
        {"C vmsplice + JNA call cost, huge pages", "C vmsplice, huge pages"},
        {"jsplice vmspliceFully", "C vmsplice + JNA call cost"},
        {"jsplice vmspliceFully, huge pages", "C vmsplice + JNA call cost, huge pages"},
        {"jsplice vmspliceFully, FFM provider", "C vmsplice"},
        {"jsplice vmspliceFully, FFM provider, huge pages", "C vmsplice, huge pages"},
        {"jsplice vmspliceFully, FFM provider", "jsplice vmspliceFully"},
        {"Java FFM vmsplice", "C vmsplice"},
        {"Java FFM vmsplice, huge pages", "C vmsplice, huge pages"},
    };

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? parseSize(args[0]) : 4L << 30;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of("benchmarks", "results");
        Files.createDirectories(results);
        Path target = Path.of("benchmarks", "target").toAbsolutePath();
        String pipebench = compileC(cSource("pipebench.c"), target.resolve("pipebench"));
        String delaywriter = compileC(Path.of("benchmarks", "src", "main", "c", "delaywriter.c"), target.resolve("delaywriter"));
        String jar = Path.of(PipeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String javaBin = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:+UseSerialGC "
                + "--enable-native-access=ALL-UNNAMED -cp '" + jar + "' ";
        String javaCmd = javaBin + JavaWriter.class.getName();

        // What one JNA call of vmsplice's shape costs beyond the same call from C, measured now on
        // this machine; sysconf's, a call of one argument, for comparison.
        double jnaNs = Double.parseDouble(output(javaBin + JnaCallCost.class.getName() + " vmsplice"));
        double cNs = Double.parseDouble(output("'" + delaywriter + "' cost vmsplice"));
        double extraNs = Math.max(0, jnaNs - cNs);
        double sysconfNs = Double.parseDouble(output(javaBin + JnaCallCost.class.getName()))
                - Double.parseDouble(output("'" + delaywriter + "' cost"));
        System.err.printf(Locale.ROOT, "vmsplice(-1, NULL, 0, 0): %.1f ns through JNA, %.1f ns from C: %.0f ns per call "
                + "(sysconf: %.0f)%n", jnaNs, cNs, extraNs, sysconfNs);
        Ffm ffm = Ffm.find(target.resolve("ffm"));

        String pb = "'" + pipebench + "' w ";
        String dw = "'" + delaywriter + "' w";
        String delay = String.format(Locale.ROOT, " %.0f", extraNs);
        List<Writer> writers = new ArrayList<>();
        writers.add(new Writer("C vmsplice", true, (k, n) -> pb + "vmsplice -n " + n + " -s " + k + " -p " + PIPE));
        writers.add(new Writer("jsplice vmspliceFully", true, positional(javaCmd + " raw", "")));
        writers.add(new Writer("jsplice PipeWriter RECYCLE", true, positional(javaCmd + " recycle", " nohuge")));
        writers.add(new Writer("jsplice PipeWriter SAFE", false, positional(javaCmd + " safe", " huge")));
        writers.add(new Writer("C write", false, (k, n) -> pb + "write -n " + n + " -s " + k + " -p " + PIPE));
        writers.add(new Writer("Java FileOutputStream", false, positional(javaCmd + " fos", "")));
        writers.add(new Writer("Java FileChannel", false, positional(javaCmd + " channel", "")));
        writers.add(new Writer("C vmsplice, huge pages", true, (k, n) -> pb + "vmsplice-huge -n " + n + " -s " + k + " -p " + PIPE));
        writers.add(new Writer("jsplice vmspliceFully, huge pages", true, positional(javaCmd + " raw", " huge")));
        writers.add(new Writer("jsplice PipeWriter RECYCLE, huge pages", true, positional(javaCmd + " recycle", " huge")));
        writers.add(new Writer("C vmsplice + JNA call cost", true, positional(dw, delay)));
        writers.add(new Writer("C vmsplice + JNA call cost, huge pages", true, positional(dw, delay + " huge")));
        if (ffm != null) {
            writers.add(new Writer("Java FFM vmsplice", true, positional(ffm.command, "")));
            writers.add(new Writer("Java FFM vmsplice, huge pages", true, positional(ffm.command, " huge")));
            String provider = ffm.providerCommand(jar);
            if (provider != null) {
                writers.add(new Writer("jsplice vmspliceFully, FFM provider", true, positional(provider + " raw", "")));
                writers.add(new Writer("jsplice vmspliceFully, FFM provider, huge pages", true, positional(provider + " raw", " huge")));
            }
        }

        // rates[writer][consumer][chunk] = one figure per repetition
        Map<String, double[][][]> rates = new LinkedHashMap<>();
        for (Writer w : writers) {
            rates.put(w.label, new double[CONSUMERS.length][CHUNKS.length][reps]);
        }
        for (int ci = 0; ci < CONSUMERS.length; ci++) {
            for (int k = 0; k < CHUNKS.length; k++) {
                for (int rep = 0; rep < reps; rep++) {
                    // Alternate, and rotate the start so no writer always goes first.
                    for (int i = 0; i < writers.size(); i++) {
                        Writer w = writers.get((i + rep) % writers.size());
                        long bytes = w.bytes(total, CONSUMERS[ci], CHUNKS[k]);
                        double r = run(w.command.apply(CHUNKS[k], bytes) + " | '" + pipebench + "' r "
                                + CONSUMERS[ci] + " -s " + CHUNKS[k] + " -p " + PIPE + " -n " + bytes);
                        rates.get(w.label)[ci][k][rep] = r;
                        System.err.printf(Locale.ROOT, "%-40s %-6s %4d KiB  %6.2f GiB/s%n", w.label, CONSUMERS[ci],
                                CHUNKS[k] >> 10, r);
                    }
                }
            }
        }
        String notes = String.format(Locale.ROOT, "JNA call cost: vmsplice(-1, NULL, 0, 0), refused at once with EBADF, "
                + "took %.1f ns through JNA direct mapping and %.1f ns from C, so the control writer \"C vmsplice + JNA call "
                + "cost\" waits %.0f ns before each vmsplice (JNA spends %.0f ns more than C on sysconf, a call of one "
                + "argument).%n", jnaNs, cNs, extraNs, sysconfNs)
                + (ffm == null ? "Java FFM rows: no JDK 22 or later was found, so they were not run.\n"
                        : "Java FFM rows: " + ffm.version + ", benchmarks/src/main/ffm/FfmWriter.java.\n");
        String table = table(rates, total, reps, notes);
        System.out.println(table);
        Files.writeString(results.resolve("pipebench.md"), table);
        chart(rates, results.resolve("pipebench.png").toFile());
        System.out.println("written: " + results.resolve("pipebench.md") + ", " + results.resolve("pipebench.png"));
    }

    /**
     * A JDK with the foreign-function API (22 or later) to run {@code FfmWriter}: the one named by
     * {@code -Djsplice.bench.ffmJdk=DIR}, else the newest under {@code /usr/lib/jvm}.
     */
    static final class Ffm {
        final String command;
        final String version;
        final Path jdk;

        private Ffm(String command, String version, Path jdk) {
            this.command = command;
            this.version = version;
            this.jdk = jdk;
        }

        /**
         * jsplice's own writer through the FFM provider, on the same JDK, where a JDK 22+ build left
         * {@code sdk-ffm/target/classes} ({@code JAVA_HOME=... mvn package}); null otherwise.
         */
        String providerCommand(String jar) {
            Path ffmClasses = Path.of("sdk-ffm", "target", "classes").toAbsolutePath();
            if (!Files.isDirectory(ffmClasses)) {
                System.err.println("no sdk-ffm/target/classes (build once on JDK 22+): the jsplice FFM provider rows are left out");
                return null;
            }
            return "'" + jdk.resolve("bin/java") + "' -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED "
                    + "-Dorg.jsplice.provider=ffm -cp '" + jar + ":" + ffmClasses + "' " + JavaWriter.class.getName();
        }

        static Ffm find(Path classes) throws IOException, InterruptedException {
            List<Path> candidates = new ArrayList<>();
            String chosen = System.getProperty("jsplice.bench.ffmJdk");
            if (chosen != null) {
                candidates.add(Path.of(chosen));
            } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
                try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
                    dirs.filter(d -> Files.isRegularFile(d.resolve("release")) && Files.isExecutable(d.resolve("bin/javac")))
                            .forEach(candidates::add);
                }
            }
            Path best = null;
            int bestMajor = 21;
            for (Path jdk : candidates) {
                int major = majorVersion(jdk);
                if (major > bestMajor) {
                    best = jdk;
                    bestMajor = major;
                }
            }
            if (best == null) {
                System.err.println("no JDK 22 or later found (set -Djsplice.bench.ffmJdk=DIR): the Java FFM rows are left out");
                return null;
            }
            Path source = Path.of("benchmarks", "src", "main", "ffm", "FfmWriter.java");
            Process javac = new ProcessBuilder(best.resolve("bin/javac").toString(), "-d", classes.toString(), source.toString())
                    .inheritIO().start();
            if (javac.waitFor() != 0) {
                throw new IOException("javac of " + best + " failed on " + source);
            }
            return new Ffm("'" + best.resolve("bin/java") + "' -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp '"
                    + classes + "' FfmWriter", "Java " + bestMajor + " (" + best + ")", best);
        }

        private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)");

        private static int majorVersion(Path jdk) throws IOException {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                Matcher m = JAVA_VERSION.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            return 0;
        }
    }

    static long parseSize(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        int shift = t.endsWith("g") ? 30 : t.endsWith("m") ? 20 : t.endsWith("k") ? 10 : 0;
        return Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1)) << shift;
    }

    /** One of the C references in {@code benchmarks/src/main/c}, from the checkout's top or from {@code benchmarks}. */
    static Path cSource(String name) throws IOException {
        for (Path candidate : List.of(Path.of("benchmarks", "src", "main", "c", name), Path.of("src", "main", "c", name))) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IOException(name + " not found at benchmarks/src/main/c/" + name + " (run from the checkout's top)");
    }

    static String compileC(Path source, Path binary) throws IOException, InterruptedException {
        Process cc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString()).inheritIO().start();
        if (cc.waitFor() != 0) {
            throw new IOException("gcc failed on " + source);
        }
        return binary.toString();
    }

    /** The trimmed standard output of a shell command that must succeed. */
    static String output(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + command);
        }
        return out;
    }

    /** Runs one pipeline; the reader's rate over the second half of the bytes (a JIT's warm-up excluded). */
    static double run(String pipeline) throws IOException, InterruptedException {
        String err = stderrOf(pipeline);
        Matcher m = RATE.matcher(err);
        if (!m.find()) {
            throw new IOException("no READER line from: " + pipeline + "\n" + err);
        }
        return Double.parseDouble(m.group(2));
    }

    /** Runs a shell pipeline to its end, its standard output discarded; what it wrote on standard error. */
    static String stderrOf(String pipeline) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", pipeline).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return err;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    private static String table(Map<String, double[][][]> rates, long total, int reps, String notes) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Pipe throughput, GiB/s by the reader (median of %d runs, %d GiB each, pipe 1 MiB, "
                + "rate over the second half of the bytes; %d GiB each for the page-splicing writers into the splicing "
                + "reader at 64 and 256 KiB, whose 8 GiB runs last only 0.2 s).%n", reps, total >> 30,
                (total * FAST_COLUMN_FACTOR) >> 30));
        sb.append("Machine: ").append(machine()).append("\n");
        sb.append(notes).append("\n");
        sb.append("| writer | read 4K | read 64K | read 256K | splice 4K | splice 64K | splice 256K |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[][][]> e : rates.entrySet()) {
            sb.append("| ").append(e.getKey());
            for (int ci = 0; ci < CONSUMERS.length; ci++) {
                for (int k = 0; k < CHUNKS.length; k++) {
                    sb.append(String.format(Locale.ROOT, " | %.2f", median(e.getValue()[ci][k])));
                }
            }
            sb.append(" |\n");
        }
        sb.append("\nMedian of paired ratios (runs of the same repetition compared), lowest and highest in brackets:\n\n");
        sb.append("| ratio | read 4K | read 64K | read 256K | splice 4K | splice 64K | splice 256K |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (String[] pair : PAIRS) {
            double[][][] a = rates.get(pair[0]);
            double[][][] b = rates.get(pair[1]);
            if (a == null || b == null) {
                continue;
            }
            sb.append("| ").append(pair[0]).append(" / ").append(pair[1]);
            for (int ci = 0; ci < CONSUMERS.length; ci++) {
                for (int k = 0; k < CHUNKS.length; k++) {
                    double[] r = ratios(a[ci][k], b[ci][k]);
                    sb.append(String.format(Locale.ROOT, " | %.2f [%.2f, %.2f]", median(r),
                            Arrays.stream(r).min().orElse(Double.NaN), Arrays.stream(r).max().orElse(Double.NaN)));
                }
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    static String machine() throws IOException {
        String cpu = "unknown CPU";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Linux " + System.getProperty("os.version")
                + ", Java " + System.getProperty("java.version");
    }

    /** GiB/s against chunk size, one line per writer, a panel per consumer. */
    private static void chart(Map<String, double[][][]> rates, File out) throws IOException {
        int panelW = 620;
        int h = 560;
        BufferedImage img = new BufferedImage(2 * panelW + 300, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), h);
        double max = 1;
        for (double[][][] r : rates.values()) {
            for (double[][] c : r) {
                for (double[] k : c) {
                    max = Math.max(max, median(k));
                }
            }
        }
        max = Math.ceil(max / 5) * 5;
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0xff7f0e), new Color(0x9467bd),
            new Color(0x7f7f7f), new Color(0x8c564b), new Color(0xbcbd22), new Color(0x17becf), new Color(0xe377c2),
            new Color(0x2ca02c), new Color(0x393b79), new Color(0xad494a), new Color(0x637939), new Color(0x843c39)};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int ci = 0; ci < CONSUMERS.length; ci++) {
            int x0 = ci * panelW + 70;
            int y0 = h - 70;
            int pw = panelW - 110;
            int ph = h - 140;
            g.setColor(Color.BLACK);
            g.drawString("consumer: " + (ci == 0 ? "read(2)" : "splice(2) to /dev/null") + ", pipe 1 MiB", x0, 40);
            g.drawLine(x0, y0, x0 + pw, y0);
            g.drawLine(x0, y0, x0, y0 - ph);
            for (int t = 0; t <= 5; t++) {
                int y = y0 - t * ph / 5;
                g.setColor(new Color(0xdddddd));
                g.drawLine(x0 + 1, y, x0 + pw, y);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.0f", max * t / 5), x0 - 35, y + 5);
            }
            g.drawString("GiB/s", x0 - 60, y0 - ph - 10);
            for (int k = 0; k < CHUNKS.length; k++) {
                int x = x0 + 30 + k * (pw - 60) / (CHUNKS.length - 1);
                g.drawString((CHUNKS[k] >> 10) + " KiB", x - 20, y0 + 20);
            }
            g.drawString("chunk size", x0 + pw / 2 - 30, y0 + 45);
            int wi = 0;
            for (Map.Entry<String, double[][][]> e : rates.entrySet()) {
                g.setColor(colors[wi % colors.length]);
                g.setStroke(new BasicStroke(e.getKey().startsWith("C ") ? 3f : 2f));
                int px = -1;
                int py = -1;
                for (int k = 0; k < CHUNKS.length; k++) {
                    int x = x0 + 30 + k * (pw - 60) / (CHUNKS.length - 1);
                    int y = y0 - (int) (median(e.getValue()[ci][k]) / max * ph);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                wi++;
            }
        }
        int wi = 0;
        for (String label : rates.keySet()) {
            g.setColor(colors[wi % colors.length]);
            g.fillRect(2 * panelW, 70 + wi * 24, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(label, 2 * panelW + 20, 82 + wi * 24);
            wi++;
        }
        g.drawString(machine(), 20, h - 12);
        g.dispose();
        ImageIO.write(img, "png", out);
    }
}
