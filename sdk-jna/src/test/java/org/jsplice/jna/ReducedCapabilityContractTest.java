package org.jsplice.jna;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.PropertyDefaults;
import org.jsplice.testsuite.Over;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.contract.Capability;
import org.jsplice.testkit.contract.PipeProviderContract;
import org.jsplice.testkit.fakes.WrappingPipeProvider;

/**
 * A provider with none of the optional behaviour, which says so, passes the contract too: the
 * properties that need a capability are skipped, and the contract checks that each undeclared one
 * fails cleanly with {@link UnsupportedOperationException} and changes nothing.
 */
@PropertyDefaults(tries = 100)
class ReducedCapabilityContractTest implements PipeProviderContract {

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("this provider cannot " + what);
    }

    @Override
    public PipeProvider provider() {
        return new WrappingPipeProvider(new JnaPipeProvider()) {
            @Override
            protected PipeSink wrap(PipeSink sink, int fd) {
                return new Over.Sink(sink) {
                    @Override
                    public int capacity(int bytes) {
                        throw unsupported("resize pipes");
                    }
                };
            }

            @Override
            protected PipeSource wrap(PipeSource source, int fd) {
                return new Over.Source(source) {
                    @Override
                    public long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) {
                        throw unsupported("vmsplice in the read direction");
                    }

                    @Override
                    public long splice(PipeSink target, long length, SpliceFlag... flags) {
                        throw unsupported("splice");
                    }

                    @Override
                    public long splice(int fd, long length, SpliceFlag... flags) {
                        throw unsupported("splice");
                    }

                    @Override
                    public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) {
                        throw unsupported("splice");
                    }

                    @Override
                    public long tee(PipeSink target, long length, SpliceFlag... flags) {
                        throw unsupported("tee");
                    }
                };
            }

            @Override
            public void mkfifo(Path path, int mode) {
                throw unsupported("make FIFOs");
            }

            @Override
            public PipeSink openFifoSink(Path path, Duration timeout) {
                throw unsupported("open FIFOs");
            }

            @Override
            public PipeSource openFifoSource(Path path, Duration timeout) {
                throw unsupported("open FIFOs");
            }

            @Override
            public NativeFile openFile(Path path, Set<? extends OpenOption> options) throws IOException {
                throw unsupported("open files");
            }
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }
}
