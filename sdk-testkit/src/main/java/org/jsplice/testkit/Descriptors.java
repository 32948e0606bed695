package org.jsplice.testkit;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Descriptors of kinds other than pipes, opened by plain Java and found by number in {@code
 * /proc/self/fd}, so that error paths can be tested without a native binding of their own.
 *
 * <p>Each {@link Held} descriptor belongs to the Java object that opened it: adopt it with {@code
 * provider.sink(fd, false)}, never with an owning factory, and close the {@code Held} when done.
 */
public final class Descriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private Descriptors() {
    }

    /** A descriptor number and the Java object that owns it. */
    public static final class Held implements AutoCloseable {
        private final int fd;
        private final Closeable owner;
        private final String what;

        Held(int fd, Closeable owner, String what) {
            this.fd = fd;
            this.owner = owner;
            this.what = what;
        }

        /**
         * The descriptor number.
         *
         * @return the number
         */
        public int fd() {
            return fd;
        }

        @Override
        public void close() throws IOException {
            owner.close();
        }

        @Override
        public String toString() {
            return what + " (fd " + fd + ")";
        }
    }

    /**
     * A regular file, created in {@code dir} and open for writing.
     *
     * @param dir where to create it
     * @return the held descriptor
     * @throws IOException if it cannot be created or found
     */
    public static Held regularFile(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "jsplice", ".bin").toRealPath();
        FileOutputStream out = new FileOutputStream(file.toFile());
        return new Held(find(link -> link.equals(file.toString()), out), out, "regular file " + file);
    }

    /**
     * {@code path} (a file, a device such as {@code /dev/null}) open for reading.
     *
     * @param path the file or device
     * @return the held descriptor
     * @throws IOException if it cannot be opened or found
     */
    public static Held readOnly(Path path) throws IOException {
        Path real = path.toRealPath();
        FileInputStream in = new FileInputStream(real.toFile());
        return new Held(find(link -> link.equals(real.toString()), in), in, "read-only " + real);
    }

    /**
     * A listening Unix-domain socket, bound to a path in {@code dir}.
     *
     * @param dir where to bind it
     * @return the held descriptor
     * @throws IOException if it cannot be bound or found
     */
    public static Held unixSocket(Path dir) throws IOException {
        Path path = dir.toRealPath().resolve("jsplice-" + System.nanoTime() + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        String inode = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 8 && cols[7].equals(path.toString())) {
                inode = cols[6];
            }
        }
        if (inode == null) {
            server.close();
            throw new IOException("socket " + path + " not listed in /proc/self/net/unix");
        }
        String link = "socket:[" + inode + "]";
        return new Held(find(link::equals, server), server, "unix socket " + path);
    }

    /**
     * A descriptor number that is not open: far above every number in use, so that the JVM, which
     * takes the lowest free number, does not open it meanwhile.
     *
     * @return the number
     * @throws IOException if {@code /proc/self/fd} cannot be read
     */
    public static int closedNumber() throws IOException {
        int max = 0;
        for (int fd : openNumbers()) {
            max = Math.max(max, fd);
        }
        return max + 1000;
    }

    private static int find(Predicate<String> link, Closeable owner) throws IOException {
        for (int fd : openNumbers()) {
            try {
                if (link.test(Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString())) {
                    return fd;
                }
            } catch (IOException gone) {
                // closed meanwhile by another thread
            }
        }
        owner.close();
        throw new IOException("no descriptor in /proc/self/fd matches");
    }

    /**
     * What each open descriptor names now ({@code pipe:[inode]}, a path, ...), by number.
     *
     * @return descriptor number to link text
     * @throws IOException if {@code /proc/self/fd} cannot be read
     */
    public static Map<Integer, String> snapshot() throws IOException {
        Map<Integer, String> links = new TreeMap<>();
        for (int fd : openNumbers()) {
            try {
                links.put(fd, Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString());
            } catch (IOException gone) {
                // closed meanwhile by another thread
            }
        }
        return links;
    }

    /**
     * The read ends of pipes opened since {@code before}, a {@link #snapshot()}: the way to find the
     * descriptor number behind a {@code PipeSource} the provider just opened. A number closed and
     * reused meanwhile counts as new, since it names another pipe.
     *
     * @param before a snapshot taken earlier
     * @return the numbers
     * @throws IOException if {@code /proc/self} cannot be read
     */
    public static List<Integer> pipeReadEndsOpenedSince(Map<Integer, String> before) throws IOException {
        List<Integer> found = new ArrayList<>();
        for (Map.Entry<Integer, String> e : snapshot().entrySet()) {
            if (e.getValue().startsWith("pipe:") && !e.getValue().equals(before.get(e.getKey()))) {
                try {
                    if (accessMode(e.getKey()) == 0) {
                        found.add(e.getKey());
                    }
                } catch (IOException gone) {
                    // closed meanwhile by another thread
                }
            }
        }
        return found;
    }

    /** The {@code O_ACCMODE} bits of an open descriptor, from {@code /proc/self/fdinfo}. */
    private static int accessMode(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).trim(), 8) & 3;
            }
        }
        throw new IOException("no flags in /proc/self/fdinfo/" + fd);
    }

    /**
     * The descriptor numbers open in this process now.
     *
     * @return the numbers
     * @throws IOException if {@code /proc/self/fd} cannot be read
     */
    public static List<Integer> openNumbers() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(FDS)) {
            for (Path p : dir) {
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        }
        return fds;
    }
}
