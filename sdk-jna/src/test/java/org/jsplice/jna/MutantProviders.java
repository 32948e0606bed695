package org.jsplice.jna;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.ShrinkingMode;
import org.jsplice.testsuite.Over;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.FileType;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.IoVecs;
import org.jsplice.testkit.contract.Capability;
import org.jsplice.testkit.contract.PipeProviderContract;
import org.jsplice.testkit.fakes.WrappingPipeProvider;

/**
 * Deliberately broken providers, each the real one with one fault, and the contract run against
 * each. {@link ContractHasTeethTest} runs these containers and demands that each fails; they are not
 * named like tests, so the build does not run them directly.
 */
final class MutantProviders {
    private MutantProviders() {
    }

    /** Sends all but the last byte of every transfer and reports the full count. */
    static final class DropsLastByte extends WrappingPipeProvider {
        DropsLastByte() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new Over.Sink(sink) {
                @Override
                public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    long total = IoVecs.total(segments);
                    if (total == 0) {
                        return delegate().vmsplice(segments, flags);
                    }
                    long r = delegate().vmsplice(IoVecs.prefix(segments, total - 1), flags);
                    return r == total - 1 ? total : r;
                }

                @Override
                public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    long total = IoVecs.total(segments);
                    delegate().vmspliceFully(IoVecs.prefix(segments, Math.max(0, total - 1)), flags);
                    return total;
                }
            };
        }
    }

    /** Lets misaligned GIFT memory through, as a provider that trusts today's kernel would. */
    static final class IgnoresGiftAlignment extends WrappingPipeProvider {
        IgnoresGiftAlignment() {
            super(new JnaPipeProvider());
        }

        private static SpliceFlag[] withoutGift(SpliceFlag[] flags) {
            return java.util.Arrays.stream(flags).filter(f -> f != SpliceFlag.GIFT).toArray(SpliceFlag[]::new);
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new Over.Sink(sink) {
                @Override
                public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    return delegate().vmsplice(segments, withoutGift(flags));
                }

                @Override
                public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    return delegate().vmspliceFully(segments, withoutGift(flags));
                }
            };
        }
    }

    /** Reports one byte more than a partial transfer moved. */
    static final class OverReports extends WrappingPipeProvider {
        OverReports() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new Over.Sink(sink) {
                @Override
                public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    long r = delegate().vmsplice(segments, flags);
                    return r < IoVecs.total(segments) ? r + 1 : r;
                }
            };
        }
    }

    /** Sends a long list to the kernel in one call instead of batches of IOV_MAX. */
    static final class DoesNotBatch extends WrappingPipeProvider {
        DoesNotBatch() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            int iovMax = iovMax();
            return new Over.Sink(sink) {
                @Override
                public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    if (segments.size() > iovMax) {
                        long moved = 0;
                        long total = IoVecs.total(segments);
                        while (moved < total) {
                            moved += delegate().vmsplice(segments, flags);
                        }
                        return moved;
                    }
                    return delegate().vmspliceFully(segments, flags);
                }
            };
        }
    }

    /** Keeps the descriptor number after close and calls the kernel with it. */
    static final class CallsAfterClose extends WrappingPipeProvider {
        CallsAfterClose() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            int number = fd >= 0 ? fd : ((org.jsplice.internal.linux.LinuxPipeEnd) sink).fd();
            PipeProvider real = delegate();
            return new Over.Sink(sink) {
                private PipeSink target() {
                    return delegate().isOpen() ? delegate() : real.sink(number, false);
                }

                @Override
                public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    return target().vmsplice(segments, flags);
                }

                @Override
                public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    return target().vmspliceFully(segments, flags);
                }

                @Override
                public int capacity() throws IOException {
                    return target().capacity();
                }

                @Override
                public int capacity(int bytes) throws IOException {
                    return target().capacity(bytes);
                }

                @Override
                public int queued() throws IOException {
                    return target().queued();
                }
            };
        }
    }

    /** Loses the last byte of every read that returns more than one. */
    static final class ReadDropsAByte extends WrappingPipeProvider {
        ReadDropsAByte() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSource wrap(PipeSource source, int fd) {
            return new Over.Source(source) {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    int n = source.read(dst);
                    if (n > 1) {
                        dst.position(dst.position() - 1);
                        return n - 1;
                    }
                    return n;
                }
            };
        }
    }

    /** Splices into a file at offset 0 whatever offset was asked. */
    static final class SpliceIgnoresOffset extends WrappingPipeProvider {
        SpliceIgnoresOffset() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSource wrap(PipeSource source, int fd) {
            return new Over.Source(source) {
                @Override
                public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
                    return source.splice(file, 0, length, flags);
                }
            };
        }
    }

    /** Implements tee with splice: the bytes leave this pipe. */
    static final class TeeConsumes extends WrappingPipeProvider {
        TeeConsumes() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSource wrap(PipeSource source, int fd) {
            return new Over.Source(source) {
                @Override
                public long tee(PipeSink target, long length, SpliceFlag... flags) throws IOException {
                    return source.splice(target, length, flags);
                }
            };
        }
    }

    /** Makes a regular file where a FIFO was asked for. */
    static final class MkfifoMakesAFile extends WrappingPipeProvider {
        MkfifoMakesAFile() {
            super(new JnaPipeProvider());
        }

        @Override
        public void mkfifo(Path path, int mode) throws IOException {
            Files.createFile(path);
        }
    }

    /** Says it does not know what a socket is. */
    static final class FileTypeMislabelsSockets extends WrappingPipeProvider {
        FileTypeMislabelsSockets() {
            super(new JnaPipeProvider());
        }

        @Override
        public FileType fileType(int fd) throws IOException {
            FileType t = delegate().fileType(fd);
            return t == FileType.SOCKET ? FileType.UNKNOWN : t;
        }
    }

    /** Says it copies, as its fallback would, while vmsplice still passes references. */
    static final class ClaimsToCopy extends WrappingPipeProvider {
        ClaimsToCopy() {
            super(new JnaPipeProvider());
        }

        @Override
        public boolean isZeroCopy() {
            return false;
        }
    }

    /** The real provider, which can tee, declared without TEE: it must then refuse to tee. */
    abstract static class UndeclaredButWorksContract extends MutantContract {
        UndeclaredButWorksContract() {
            super(JnaPipeProvider::new);
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.complementOf(EnumSet.of(Capability.TEE));
        }
    }

    /** The contract, fewer tries and no shrinking: a mutant only has to be caught, not minimised. */
    @PropertyDefaults(tries = 200, shrinking = ShrinkingMode.OFF)
    abstract static class MutantContract implements PipeProviderContract {
        private final Supplier<PipeProvider> mutant;

        MutantContract(Supplier<PipeProvider> mutant) {
            this.mutant = mutant;
        }

        @Override
        public PipeProvider provider() {
            return mutant.get();
        }
    }

    static final class DropsLastByteContract extends MutantContract {
        DropsLastByteContract() {
            super(DropsLastByte::new);
        }
    }

    static final class IgnoresGiftAlignmentContract extends MutantContract {
        IgnoresGiftAlignmentContract() {
            super(IgnoresGiftAlignment::new);
        }
    }

    static final class OverReportsContract extends MutantContract {
        OverReportsContract() {
            super(OverReports::new);
        }
    }

    static final class DoesNotBatchContract extends MutantContract {
        DoesNotBatchContract() {
            super(DoesNotBatch::new);
        }
    }

    static final class CallsAfterCloseContract extends MutantContract {
        CallsAfterCloseContract() {
            super(CallsAfterClose::new);
        }
    }

    static final class ReadDropsAByteContract extends MutantContract {
        ReadDropsAByteContract() {
            super(ReadDropsAByte::new);
        }
    }

    static final class SpliceIgnoresOffsetContract extends MutantContract {
        SpliceIgnoresOffsetContract() {
            super(SpliceIgnoresOffset::new);
        }
    }

    static final class TeeConsumesContract extends MutantContract {
        TeeConsumesContract() {
            super(TeeConsumes::new);
        }
    }

    static final class MkfifoMakesAFileContract extends MutantContract {
        MkfifoMakesAFileContract() {
            super(MkfifoMakesAFile::new);
        }
    }

    static final class FileTypeMislabelsSocketsContract extends MutantContract {
        FileTypeMislabelsSocketsContract() {
            super(FileTypeMislabelsSockets::new);
        }
    }

    static final class ClaimsToCopyContract extends MutantContract {
        ClaimsToCopyContract() {
            super(ClaimsToCopy::new);
        }
    }

    static final class TeeUndeclaredButWorksContract extends UndeclaredButWorksContract {
    }
}
