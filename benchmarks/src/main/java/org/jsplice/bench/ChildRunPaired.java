package org.jsplice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsplice.process.ChildOutput;
import org.jsplice.process.ChildRun;

/**
 * {@code ChildRunBench paired cat|out ...}: throughput jobs of {@link ChildRunBench} whose sides
 * alternate in one JVM, the first side changing each round, after one warm-up run of each; every
 * side's rate is its wall time from here (start of the children to their exit), bytes over seconds.
 */
final class ChildRunPaired {
    private static final Pattern READER = Pattern.compile("READER .* gibps=([0-9.]+) gibps2h=([0-9.]+)");
    private static final double GIB = 1L << 30;

    private ChildRunPaired() {
    }

    /** One side: runs once and returns its rate in GiB/s; {@link #note} may hold a figure of its own. */
    private abstract static class Side {
        final String name;
        String note = "";
        final List<Double> extra = new ArrayList<>();

        Side(String name) {
            this.name = name;
        }

        abstract double run() throws Exception;
    }

    static void main(String[] args) throws Exception {
        String job = args.length > 1 ? args[1] : "cat";
        Path target = Path.of("benchmarks", "target").toAbsolutePath();
        String pipebench = PipeBench.compileC(PipeBench.cSource("pipebench.c"), target.resolve("pipebench"));
        switch (job) {
            case "cat":
                cat(ChildRunBench.Sizes.parse(args.length > 2 ? args[2] : "2g"), args.length > 3 ? Integer.parseInt(args[3]) : 5, pipebench);
                break;
            case "out":
                out(ChildRunBench.Sizes.parse(args.length > 2 ? args[2] : "4g"), args.length > 3 ? Integer.parseInt(args[3]) : 7,
                        args.length > 4 ? Path.of(args[4]) : null, pipebench);
                break;
            default:
                throw new IllegalArgumentException("paired cat|out: " + job);
        }
    }

    private static void cat(long total, int rounds, String pipebench) throws Exception {
        byte[] chunk = ChildRunBench.chunk();
        String shell = String.format(Locale.ROOT, "'%s' w write -f -n %d -p 1M | cat | '%s' r read -n %d -p 1M", pipebench, total, pipebench,
                total);
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("ChildRun cat (ChildInput.writer, ChildOutput.buffers)") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                ChildRunBench.cat(true, total, chunk);
                return total / GIB / ((System.nanoTime() - t) / 1e9);
            }
        });
        Side c = new Side("C: pipebench w write -f | cat | pipebench r read, 1 MiB pipes") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                Process p = new ProcessBuilder("sh", "-c", shell).redirectOutput(Redirect.DISCARD).start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                int status = p.waitFor();
                double rate = total / GIB / ((System.nanoTime() - t) / 1e9);
                Matcher m = READER.matcher(err);
                if (status != 0 || !m.find() || err.contains("note: got")) {
                    throw new IOException("the C pipeline failed (" + status + "): " + err);
                }
                extra.add(Double.parseDouble(m.group(1)));
                note = "its reader's own figure (clock from its first byte) " + m.group(1) + " GiB/s";
                return rate;
            }
        };
        sides.add(c);
        sides.add(new Side("ProcessBuilder cat (a writer thread, transferTo)") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                ChildRunBench.cat(false, total, chunk);
                return total / GIB / ((System.nanoTime() - t) / 1e9);
            }
        });
        System.out.printf(Locale.ROOT, "cat round trip, %.2f GiB a run, %d rounds, GiB/s of wall time from this JVM; Java %s, %d cpus%n"
                + "C pipeline: %s%n", total / GIB, rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), shell);
        double[][] rates = alternate(sides, rounds);
        table(sides, rates, 1);
        System.out.println("ChildRun against ProcessBuilder (" + Figures.spread("%.2f", rates[2]) + " GiB/s): "
                + Figures.spread("%.2f", Figures.ratios(rates[0], rates[2])));
        System.out.println("C pipeline, its reader's own figure (clock from its first byte): "
                + Figures.spread("%.2f", c.extra.subList(c.extra.size() - rounds, c.extra.size()).stream().mapToDouble(d -> d).toArray())
                + " GiB/s");
    }

    private static void out(long total, int rounds, Path file, String pipebench) throws Exception {
        List<String> command = file != null ? List.of("cat", file.toString())
                : List.of(pipebench, "w", "write", "-n", Long.toString(total), "-p", "0");
        long bytes = file != null ? Files.size(file) : total;
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("ChildRun output (ChildOutput.buffers, 64 KiB direct reads)") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                ChildRun.Result r = ChildRun.of(new ProcessBuilder(command)).output(ChildOutput.buffers(b -> { })).run();
                check(bytes, r.bytesOut());
                return bytes / GIB / ((System.nanoTime() - t) / 1e9);
            }
        });
        sides.add(new Side("Process.getInputStream().transferTo(null sink)") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                Process p = new ProcessBuilder(command).start();
                long got;
                try (InputStream in = p.getInputStream()) {
                    got = in.transferTo(OutputStream.nullOutputStream());
                }
                check(0, p.waitFor());
                check(bytes, got);
                return bytes / GIB / ((System.nanoTime() - t) / 1e9);
            }
        });
        sides.add(new Side("Process.getInputStream() into a 64 KiB direct buffer (Channels.newChannel)") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                Process p = new ProcessBuilder(command).start();
                ByteBuffer direct = ByteBuffer.allocateDirect(1 << 16);
                long got = 0;
                try (ReadableByteChannel in = Channels.newChannel(p.getInputStream())) {
                    int n;
                    while ((n = in.read(direct.clear())) >= 0) {
                        got += n;
                    }
                }
                check(0, p.waitFor());
                check(bytes, got);
                return bytes / GIB / ((System.nanoTime() - t) / 1e9);
            }
        });
        String c = file != null
                ? String.format(Locale.ROOT, "cat '%s' | '%s' r read -s 64K -p 1M", file, pipebench)
                : String.format(Locale.ROOT, "'%s' w write -n %d -p 1M | '%s' r read -s 64K -p 1M", pipebench, total, pipebench);
        sides.add(new Side("C reference: " + (file != null ? "cat FILE" : "pipebench w write") + " | pipebench r read -s 64K, 1 MiB pipe") {
            @Override
            double run() throws Exception {
                long t = System.nanoTime();
                Process p = new ProcessBuilder("sh", "-c", c).redirectOutput(Redirect.DISCARD).start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                int status = p.waitFor();
                double rate = bytes / GIB / ((System.nanoTime() - t) / 1e9);
                if (status != 0 || !READER.matcher(err).find()) {
                    throw new IOException("the C reference failed (" + status + "): " + err);
                }
                return rate;
            }
        });
        System.out.printf(Locale.ROOT, "output side: %s (%.2f GiB) read into Java memory, %d rounds, GiB/s of wall time from this JVM; "
                + "Java %s, %d cpus%n", String.join(" ", command), bytes / GIB, rounds, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("(the child's pipe is the parent's: 1 MiB from ChildRun, 64 KiB from ProcessBuilder; C reference: " + c + ")");
        double[][] rates = alternate(sides, rounds);
        table(sides, rates, 1);
        System.out.println("and against the second anchor (" + sides.get(2).name + "): "
                + Figures.spread("%.2f", Figures.ratios(rates[0], rates[2])));
    }

    private static void check(long expected, long got) {
        if (expected != got) {
            throw new IllegalStateException("expected " + expected + ", got " + got);
        }
    }

    /** One warm-up run of each side, then ROUNDS rounds, round r starting with side r mod n. */
    private static double[][] alternate(List<Side> sides, int rounds) throws Exception {
        for (Side s : sides) {
            s.run();
        }
        double[][] rates = new double[sides.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d:", r + 1));
            for (int k = 0; k < sides.size(); k++) {
                int i = (r + k) % sides.size();
                Side s = sides.get(i);
                rates[i][r] = s.run();
                line.append(String.format(Locale.ROOT, " [%s] %.2f", s.name, rates[i][r]));
            }
            System.out.println(line);
        }
        return rates;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Every side's median rate, and each one's paired ratio against side {@code anchor} (whose figure stands beside it). */
    private static void table(List<Side> sides, double[][] rates, int anchor) {
        System.out.println();
        System.out.println("| side | GiB/s, median [min, max] | anchor: " + cell(sides.get(anchor).name) + ", GiB/s | side / anchor, median of paired ratios |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < sides.size(); i++) {
            System.out.println("| " + cell(sides.get(i).name) + " | " + Figures.spread("%.2f", rates[i]) + " | "
                    + (i == anchor ? "(the anchor)" : Figures.spread("%.2f", rates[anchor])) + " | "
                    + (i == anchor ? "1" : Figures.spread("%.2f", Figures.ratios(rates[i], rates[anchor]))) + " |");
        }
    }
}
