package org.jsplice.testsuite;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.jsplice.Errno;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;
import org.jsplice.testkit.PipeDrain;

/**
 * Run in a JVM of its own by {@link SeccompFallbackSuite}: installs a seccomp filter on its main
 * thread that fails {@code vmsplice(2)} with the errno named by the argument, then moves data
 * through jsplice on that thread in both directions and checks every byte.
 */
public final class SeccompVmspliceChild {

    private SeccompVmspliceChild() {
    }

    public static void main(String[] args) throws Exception {
        int errno = Errno.valueOf(args[0]).code();
        VmspliceRefusal.onThisThread(errno);
        try (Pipe probe = Pipes.open(); NativeBuffer one = Pipes.allocate(4096)) {
            Memory iov = new Memory(16);
            iov.setLong(0, one.address());
            iov.setLong(8, 1);
            long r = TestNatives.vmsplice(((org.jsplice.internal.linux.LinuxPipeEnd) probe.sink()).fd(), Pointer.nativeValue(iov), 1, 0);
            System.out.println("raw vmsplice r=" + r + " errno=" + (r < 0 ? TestNatives.errno() : 0));
        }

        int size = 8 << 20;
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        try (NativeBuffer memory = Pipes.allocate(size); Pipe pipe = Pipes.open()) {
            memory.asByteBuffer().put(content);
            List<IoVec> segments = List.of(memory.slice(0, 3), memory.slice(3, size / 2 - 3), memory.slice(size / 2, size / 2));
            try (PipeDrain drain = PipeDrain.start(pipe.source(), size)) {
                pipe.sink().vmspliceFully(segments);
                pipe.sink().close();
                byte[] got = drain.await(Duration.ofSeconds(60));
                System.out.println((Arrays.equals(content, got) ? "verified " : "CORRUPT ") + got.length);
            }
        }
        try (NativeBuffer memory = Pipes.allocate(4096); Pipe pipe = Pipes.open()) {
            memory.asByteBuffer().put(0, (byte) 42).put(1, (byte) 43);
            pipe.sink().vmsplice(List.of(memory.slice(0, 2)));
            long n = pipe.source().vmsplice(List.of(memory.slice(100, 1), memory.slice(200, 1)));
            ByteBuffer view = memory.asByteBuffer();
            System.out.println("read direction " + n + " " + view.get(100) + " " + view.get(200));
        }
        for (org.jsplice.PipeWriter.Policy policy : org.jsplice.PipeWriter.Policy.values()) {
            Object[] mode = new Object[1];
            try (Pipe pipe = Pipes.open(); PipeDrain drain = PipeDrain.start(pipe.source(), size)) {
                try (org.jsplice.PipeWriter writer = org.jsplice.PipeWriter.builder(pipe.sink()).policy(policy).build()) {
                    mode[0] = writer.mode();
                    writer.write(content, 0, size);
                }
                pipe.sink().close();
                byte[] got = drain.await(Duration.ofSeconds(60));
                System.out.println("writer " + policy + " " + mode[0] + (Arrays.equals(content, got) ? " verified " : " CORRUPT ") + got.length);
            }
        }
        System.out.println("zeroCopy=" + Pipes.provider().isZeroCopy());
        System.out.println("semantics=" + Pipes.vmspliceSemantics());
        runContract();
    }

    /** The whole provider contract, against the provider in its copying fallback. */
    @net.jqwik.api.PropertyDefaults(tries = 30)
    public static final class FallbackProviderContract implements org.jsplice.testkit.contract.PipeProviderContract {
        @Override
        public org.jsplice.spi.PipeProvider provider() {
            return Pipes.provider();
        }
    }

    private static void runContract() {
        ContainerRun run = ContainerRun.of(FallbackProviderContract.class);
        System.out.println("contract passed=" + run.passed.get() + " failed=" + run.failures.size() + " " + run.failures);
        System.out.println("contract skipped=" + run.skipped.size() + " " + run.skipped);
    }
}
