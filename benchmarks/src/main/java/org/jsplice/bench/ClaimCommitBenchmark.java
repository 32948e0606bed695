package org.jsplice.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jsplice.Pipe;
import org.jsplice.PipeWriter;
import org.jsplice.PipeWriterBuilder;
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
 * One claim, one long written into the region, one commit of a {@link PipeWriter}, into a 1 MiB pipe
 * that a reader thread drains with splice(2) to /dev/null. Run with {@code -prof gc}: a claim/commit
 * cycle allocates only the claim itself (a {@code Region} and a view of its own, under 128 bytes, so
 * that a kept region never writes into a later claim of its memory), in every mode;
 * {@code PipeWriterSuite.aClaimCommitCycleAllocatesOnlyTheClaim} holds it to that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class ClaimCommitBenchmark {
    /** The policy and, for SAFE, the mode: {@code SAFE} is the writer's own choice here. */
    @Param({"SAFE", "SAFE_COPY", "RECYCLE"})
    public String writer;

    @Param({"65536"})
    public int region;

    private Pipe pipe;
    private DevNullDrainer drainer;
    private PipeWriter pipeWriter;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws IOException {
        pipe = Pipes.open();
        PipeWriterBuilder b = PipeWriter.builder(pipe.sink()).regionSize(region);
        switch (writer) {
            case "SAFE_COPY": b.mode(PipeWriter.Mode.COPY); break;
            case "RECYCLE": b.policy(PipeWriter.Policy.RECYCLE); break;
            default: break;
        }
        pipeWriter = b.build();
        drainer = new DevNullDrainer(pipe);
    }

    @Benchmark
    public long claimCommit() throws IOException {
        PipeWriter.Region r = pipeWriter.claim();
        r.buffer().putLong(0, sequence++);
        pipeWriter.commit(r, region);
        return sequence;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        System.err.println(pipeWriter);
        pipeWriter.close();
        pipe.sink().close();
        drainer.close();
        pipe.close();
    }
}
