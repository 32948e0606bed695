package org.jsplice.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsplice.IoVec;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one vmsplice through the provider, into a 1 MiB pipe that a reader thread drains
 * with splice(2) to /dev/null. Run with {@code -prof gc} for the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class VmspliceBenchmark {
    @Param({"1x4K", "16x4K", "1x256K"})
    public String shape;

    private Pipe pipe;
    private NativeBuffer memory;
    private DevNullDrainer drainer;
    private List<IoVec> segments;

    @Setup(Level.Trial)
    public void open() throws IOException {
        pipe = Pipes.open();
        pipe.sink().capacity(1 << 20);
        memory = Pipes.allocate(1 << 20);
        memory.asByteBuffer().putLong(0, 1);
        segments = new ArrayList<>();
        switch (shape) {
            case "1x4K": segments.add(memory.slice(0, 4096)); break;
            case "16x4K":
                for (int i = 0; i < 16; i++) {
                    segments.add(memory.slice(i * 4096L, 4096));
                }
                break;
            default: segments.add(memory.slice(0, 256 << 10));
        }
        drainer = new DevNullDrainer(pipe);
    }

    @Benchmark
    public long vmspliceFully() throws IOException {
        return pipe.sink().vmspliceFully(segments);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        pipe.sink().close();
        drainer.close();
        pipe.close();
        memory.close();
    }
}
