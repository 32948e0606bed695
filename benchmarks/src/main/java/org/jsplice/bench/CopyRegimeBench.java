package org.jsplice.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsplice.PipeWriter;
import org.jsplice.Pipes;
import org.jsplice.process.ChildInput;
import org.jsplice.process.ChildRun;

/**
 * What a user gets where {@code vmsplice(2)} is refused with {@code EOPNOTSUPP} (the regime of a
 * kernel whose {@code vmsplice} copies and refuses {@code GIFT} and {@code NONBLOCK}): every jsplice
 * side runs in a JVM under {@link NoVmsplice}'s seccomp filter, beside the C program a user would
 * write instead, alternating (the first side changing each round) after one warm-up round:
 * <ul>
 *   <li>{@code PipeWriter}'s default, records of 64 KiB and of 4 KiB ({@code JavaWriter safe}) into
 *       {@code pipebench r read}, against {@code pipebench w write} into the same reader, and the
 *       same C writer under the same filter (what the filter itself costs); where a JDK 22 or later
 *       and {@code sdk-ffm/target/classes} are found (as {@link PipeBench} finds them), the same
 *       writer through the FFM provider too;</li>
 *   <li>{@code ChildRun} feeding {@code sh -c 'exec cat > /dev/null'} from a {@code PipeWriter}
 *       ({@code ChildInput.writer}, 64 KiB records), against the shell's {@code pipebench w write |
 *       cat > /dev/null}, 1 MiB pipes;</li>
 *   <li>{@code vmcat FILE} (the sample) into {@code pipebench r splice}, against {@code
 *       filesplice.c} and GNU {@code cat} into the same reader.</li>
 * </ul>
 * The writers' figures are the reader's over the second half of the bytes (a JIT's warm-up left
 * out); {@code ChildRun}'s is its run's wall time in its JVM, after a warm-up run there, and the
 * shell pipeline's its wall time from here. Prints each side's median [min, max] in GiB/s, each
 * ratio's median [min, max] with the reference's own figure beside it, and the proof that the
 * filter held (a raw {@code vmsplice} returning {@code -EOPNOTSUPP} on the threads that wrote,
 * {@code Pipes.vmspliceSemantics()}, the writer's mode).
 *
 * <pre>CopyRegimeBench [TOTAL at 64 KiB, 4g] [ROUNDS, 5] [TOTAL at 4 KiB, 8g] [FILE, 4 GiB made in benchmarks/target]</pre>
 *
 * Run from the checkout's top after {@code mvn -B -q package -DskipTests} (the vmcat case needs
 * {@code samples/target}).
 */
public final class CopyRegimeBench {
    private static final int PIPE = 1 << 20;
    private static final Pattern READER = Pattern.compile("READER .* gibps=([0-9.]+) gibps2h=([0-9.]+)");
    private static final Pattern CHILDRUN = Pattern.compile("CHILDRUN .*gibps=([0-9.]+)");
    private static final double GIB = 1L << 30;

    private CopyRegimeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("childrun")) {
            childRun(ChildRunBench.Sizes.parse(args[1]), (int) ChildRunBench.Sizes.parse(args[2]));
            return;
        }
        long total = ChildRunBench.Sizes.parse(args.length > 0 ? args[0] : "4g");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long small = ChildRunBench.Sizes.parse(args.length > 2 ? args[2] : "8g");
        Path target = Path.of("benchmarks", "target").toAbsolutePath();
        Path file = args.length > 3 ? Path.of(args[3]) : target.resolve("copyregime-4g.bin");
        if (!Files.exists(file)) {
            makeFile(file, 4L << 30);
        }
        String pb = "'" + PipeBench.compileC(PipeBench.cSource("pipebench.c"), target.resolve("pipebench")) + "'";
        String filesplice = "'" + PipeBench.compileC(PipeBench.cSource("filesplice.c"), target.resolve("filesplice")) + "'";
        String novmsplice = "'" + PipeBench.compileC(PipeBench.cSource("novmsplice.c"), target.resolve("novmsplice")) + "'";
        String jar = Path.of(CopyRegimeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path samples = Path.of("samples", "target").toAbsolutePath();
        String java = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED ";
        String filtered = java + "-cp '" + jar + "' " + NoVmsplice.class.getName() + " ";
        String vmcat = java + "-cp '" + jar + ":" + samples.resolve("jsplice-samples.jar") + ":" + samples.resolve("lib/picocli.jar") + "' "
                + NoVmsplice.class.getName() + " org.jsplice.samples.VmCat ";
        long size = Files.size(file);
        System.out.printf(Locale.ROOT, "vmsplice refused with EOPNOTSUPP (seccomp, every thread of the JVM); %d rounds after a warm-up, "
                + "pipe 1 MiB; %s%n", rounds, PipeBench.machine());

        PipeBench.Ffm ffm = PipeBench.Ffm.find(target.resolve("ffm"));
        String ffmProvider = ffm == null ? null : ffm.providerCommand(jar);
        List<Case> cases = new ArrayList<>();
        for (int seg : new int[] {64 << 10, 4 << 10}) {
            long n = seg == 4 << 10 ? small : total;
            String reader = " | " + pb + " r read -s " + seg + " -p " + PIPE + " -n " + n;
            String c = pb + " w write -n " + n + " -s " + seg + " -p " + PIPE;
            String writerArgs = " safe " + n + " " + seg + " " + PIPE + " huge" + reader;
            List<Side> sides = new ArrayList<>(List.of(new Side("jsplice", filtered + JavaWriter.class.getName() + writerArgs, Kind.READER),
                    new Side("C write(2)", c + reader, Kind.READER),
                    new Side("C write(2) under the same filter", novmsplice + " " + c + reader, Kind.READER)));
            if (ffmProvider != null) {
                sides.add(new Side("jsplice, FFM provider (" + ffm.version.replaceAll(" \\(.*", "") + ")",
                        ffmProvider.replace(JavaWriter.class.getName(), NoVmsplice.class.getName() + " " + JavaWriter.class.getName()) + writerArgs,
                        Kind.READER));
            }
            cases.add(new Case(String.format(Locale.ROOT, "PipeWriter (default) → pipebench r read, %d KiB records, %s", seg >> 10, gib(n)),
                    sides.toArray(new Side[0])));
        }
        cases.add(new Case(String.format(Locale.ROOT, "ChildRun (ChildInput.writer, 64 KiB records) → cat > /dev/null, %s", gib(total)),
                new Side("jsplice", filtered + CopyRegimeBench.class.getName() + " childrun " + total + " " + (64 << 10), Kind.CHILDRUN),
                new Side("shell: pipebench w write -s 64K -p 1M | cat > /dev/null",
                        pb + " w write -n " + total + " -s " + (64 << 10) + " -p " + PIPE + " | cat > /dev/null", Kind.WALL, total)));
        String splicer = " | " + pb + " r splice -s " + (256 << 10) + " -p " + PIPE + " -n " + size;
        cases.add(new Case(String.format(Locale.ROOT, "a file in the page cache → pipebench r splice, %s", gib(size)),
                new Side("jsplice: vmcat FILE", vmcat + "'" + file + "'" + splicer, Kind.READER),
                new Side("C: filesplice FILE 1M 1M", filesplice + " '" + file + "' 1M 1M" + splicer, Kind.READER),
                new Side("GNU cat FILE", "cat '" + file + "'" + splicer, Kind.READER)));

        for (Case k : cases) {
            k.measure(rounds);
        }
        System.out.println();
        System.out.println("| case | side | GiB/s, median [min, max] | reference (C) in the same rounds, GiB/s | side / reference, median of paired ratios [min, max] |");
        System.out.println("|---|---|---|---|---|");
        for (Case k : cases) {
            k.table();
        }
    }

    private enum Kind { READER, CHILDRUN, WALL }

    /** One command and how its figure is read; {@code bytes} for a wall-time figure. */
    private static final class Side {
        final String name;
        final String command;
        final Kind kind;
        final long bytes;
        final List<String> proofs = new ArrayList<>();

        Side(String name, String command, Kind kind) {
            this(name, command, kind, 0);
        }

        Side(String name, String command, Kind kind, long bytes) {
            this.name = name;
            this.command = command;
            this.kind = kind;
            this.bytes = bytes;
        }

        double run() throws IOException, InterruptedException {
            long t = System.nanoTime();
            String err = PipeBench.stderrOf(command);
            double wall = bytes / GIB / ((System.nanoTime() - t) / 1e9);
            for (String line : err.split("\n")) {
                if (line.startsWith("NOVMSPLICE") || line.startsWith("WRITER PipeWriter") || line.startsWith("CHILDRUN")) {
                    proofs.add(line.replaceAll(" gibps=[0-9.]+", "").replaceAll("committed=[0-9]+", "committed=..."));
                }
            }
            if (err.contains("NOVMSPLICE") && !err.contains("main=-" + NoVmsplice.EOPNOTSUPP + " thread=-" + NoVmsplice.EOPNOTSUPP)) {
                throw new IOException("the filter did not hold: " + err);
            }
            if (kind == Kind.WALL) {
                return wall;
            }
            Matcher m = (kind == Kind.READER ? READER : CHILDRUN).matcher(err);
            if (!m.find() || err.contains("note: got")) {
                throw new IOException("no figure, or a short count, from: " + command + "\n" + err);
            }
            return Double.parseDouble(kind == Kind.READER ? m.group(2) : m.group(1));
        }
    }

    /** jsplice's side first, then the reference (C), then any other side. */
    private static final class Case {
        final String name;
        final Side[] sides;
        double[][] rates;

        Case(String name, Side... sides) {
            this.name = name;
            this.sides = sides;
        }

        void measure(int rounds) throws IOException, InterruptedException {
            System.out.println("\n" + name);
            for (Side s : sides) {
                System.out.println("  " + s.name + ": " + s.command);
            }
            rates = new double[sides.length][rounds];
            for (int r = -1; r < rounds; r++) {
                StringBuilder line = new StringBuilder(r < 0 ? "  warm-up:" : String.format(Locale.ROOT, "  round %d:", r + 1));
                for (int k = 0; k < sides.length; k++) {
                    int i = (Math.max(r, 0) + k) % sides.length;
                    double rate = sides[i].run();
                    if (r >= 0) {
                        rates[i][r] = rate;
                    }
                    line.append(String.format(Locale.ROOT, " [%s] %.2f", sides[i].name, rate));
                }
                System.out.println(line);
            }
            for (Side s : sides) {
                s.proofs.stream().distinct().forEach(p -> System.out.println("  " + s.name + ": " + p));
            }
        }

        void table() {
            for (int i = 0; i < sides.length; i++) {
                row(i == 0 ? name : "", sides[i].name, rates[i], 1, i == 1);
            }
            // jsplice against each other C side too: C under the same filter pays what the filter costs every call.
            for (int i = 2; i < sides.length; i++) {
                if (sides[i].name.startsWith("C ") || sides[i].name.startsWith("GNU ")) {
                    row("", sides[0].name + " against " + sides[i].name, rates[0], i, false);
                }
            }
        }

        private void row(String first, String side, double[] values, int against, boolean reference) {
            System.out.println("| " + cell(first) + " | " + cell(side) + " | " + Figures.spread("%.2f", values) + " | "
                    + (reference ? "(the reference)" : Figures.spread("%.2f", rates[against])) + " | "
                    + (reference ? "1" : Figures.spread("%.2f", Figures.ratios(values, rates[against]))) + " |");
        }
    }

    /**
     * In the filtered JVM: one warm-up run of a quarter of {@code total}, then {@code total} bytes
     * from memory through {@code cat > /dev/null}, 64 KiB regions each filled from one array;
     * prints {@code CHILDRUN} with the writer's mode, what a raw {@code vmsplice} returns on the
     * thread that wrote, and the rate of the second run's wall time.
     */
    private static void childRun(long total, int seg) throws Exception {
        byte[] chunk = new byte[seg];
        JavaWriter.fill(ByteBuffer.wrap(chunk).order(java.nio.ByteOrder.LITTLE_ENDIAN), seg, 0);
        String[] seen = new String[1];
        ProcessBuilder cat = new ProcessBuilder("sh", "-c", "exec cat > /dev/null");
        for (long n : new long[] {total / 4, total}) {
            long t = System.nanoTime();
            ChildRun.Result r = ChildRun.of(cat).input(ChildInput.writer(b -> b.regionSize(seg), w -> {
                seen[0] = "mode=" + w.mode() + " raw vmsplice on the writer's thread=" + org.jsplice.testsuite.VmspliceRefusal.rawVmsplice();
                for (long sent = 0; sent < n; sent += seg) {
                    PipeWriter.Region region = w.claim();
                    region.buffer().put(0, chunk, 0, seg);
                    w.commit(region, seg);
                }
            })).run();
            double secs = (System.nanoTime() - t) / 1e9;
            if (r.bytesIn() != n || r.exitStatus() != 0) {
                throw new IllegalStateException("cat took " + r.bytesIn() + " of " + n + " bytes: " + r);
            }
            if (n == total) {
                System.err.printf(Locale.ROOT, "CHILDRUN %s Pipes.vmspliceSemantics()=%s gibps=%.3f%n", seen[0], Pipes.vmspliceSemantics(),
                        n / GIB / secs);
            }
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.3g GiB", bytes / GIB);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** {@code size} bytes of the stream pattern, so that the page cache holds real pages. */
    private static void makeFile(Path file, long size) throws IOException {
        System.out.println("writing " + file + " (" + size + " bytes)");
        byte[] block = new byte[1 << 20];
        ByteBuffer view = ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long at = 0; at < size; at += block.length) {
                JavaWriter.fill(view, block.length, at);
                out.write(block);
            }
        }
    }
}
