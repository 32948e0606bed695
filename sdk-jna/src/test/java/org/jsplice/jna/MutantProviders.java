package org.jsplice.jna;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.ShrinkingMode;
import org.jsplice.IoVec;
import org.jsplice.PipeSink;
import org.jsplice.SpliceFlag;
import org.jsplice.spi.PipeProvider;
import org.jsplice.testkit.IoVecs;
import org.jsplice.testkit.contract.PipeProviderContract;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.testkit.fakes.SinkWrappingProvider;

/**
 * Deliberately broken providers, each the real one with one fault, and the contract run against
 * each. {@link ContractHasTeethTest} runs these containers and demands that each fails; they are not
 * named like tests, so the build does not run them directly.
 */
final class MutantProviders {
    private MutantProviders() {
    }

    /** Sends all but the last byte of every transfer and reports the full count. */
    static final class DropsLastByte extends SinkWrappingProvider {
        DropsLastByte() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

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
    static final class IgnoresGiftAlignment extends SinkWrappingProvider {
        IgnoresGiftAlignment() {
            super(new JnaPipeProvider());
        }

        private static SpliceFlag[] withoutGift(SpliceFlag[] flags) {
            return java.util.Arrays.stream(flags).filter(f -> f != SpliceFlag.GIFT).toArray(SpliceFlag[]::new);
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

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
    static final class OverReports extends SinkWrappingProvider {
        OverReports() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

                @Override
                public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
                    long r = delegate().vmsplice(segments, flags);
                    return r < IoVecs.total(segments) ? r + 1 : r;
                }
            };
        }
    }

    /** Sends a long list to the kernel in one call instead of batches of IOV_MAX. */
    static final class DoesNotBatch extends SinkWrappingProvider {
        DoesNotBatch() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            int iovMax = iovMax();
            return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

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
    static final class CallsAfterClose extends SinkWrappingProvider {
        CallsAfterClose() {
            super(new JnaPipeProvider());
        }

        @Override
        protected PipeSink wrap(PipeSink sink, int fd) {
            int number = fd >= 0 ? fd : ((org.jsplice.spi.PipeEndCore) sink).fd();
            PipeProvider real = delegate();
            return new ForwardingPipeSink() {
                @Override
                protected PipeSink delegate() {
                    return sink;
                }

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
}
