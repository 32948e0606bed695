package org.jsplice.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jsplice.ForwardingPipeSink;
import org.jsplice.ForwardingPipeSource;
import org.jsplice.IoVec;
import org.jsplice.NativeFile;
import org.jsplice.PartialTransfer;
import org.jsplice.Pipe;
import org.jsplice.PipeSink;
import org.jsplice.PipeSource;
import org.jsplice.SpliceFlag;

/**
 * Pipe ends that count the bytes they move, also those a failing call had moved ({@link
 * PartialTransfer}), for the runs' figures: what reached a child's standard input, what came out of
 * its standard output.
 */
final class Counted {
    private Counted() {
    }

    /** Counts what reaches the pipe. */
    static final class Sink extends ForwardingPipeSink {
        private final PipeSink delegate;
        final AtomicLong bytes = new AtomicLong();

        Sink(PipeSink delegate) {
            this.delegate = delegate;
        }

        @Override
        protected PipeSink delegate() {
            return delegate;
        }

        private long count(long r) {
            if (r > 0) {
                bytes.addAndGet(r);
            }
            return r;
        }

        private IOException count(IOException e) {
            bytes.addAndGet(PartialTransfer.of(e));
            return e;
        }

        @Override
        public long vmsplice(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            try {
                return count(delegate.vmsplice(segments, flags));
            } catch (IOException e) {
                throw count(e);
            }
        }

        @Override
        public long vmspliceFully(List<? extends IoVec> segments, SpliceFlag... flags) throws IOException {
            try {
                return count(delegate.vmspliceFully(segments, flags));
            } catch (IOException e) {
                throw count(e);
            }
        }

        @Override
        public long writeFully(List<? extends IoVec> segments) throws IOException {
            try {
                return count(delegate.writeFully(segments));
            } catch (IOException e) {
                throw count(e);
            }
        }

        @Override
        public long spliceFrom(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
            return count(delegate.spliceFrom(file, offset, length, flags));
        }

        @Override
        public long spliceFrom(int fd, long length, SpliceFlag... flags) throws IOException {
            return count(delegate.spliceFrom(fd, length, flags));
        }

        @Override
        public long transferFrom(NativeFile file, long offset, long count) throws IOException {
            try {
                return count(delegate.transferFrom(file, offset, count));
            } catch (IOException e) {
                throw count(e);
            }
        }
    }

    /** Counts what is taken out of the pipe; a {@code tee} takes nothing. */
    static final class Source extends ForwardingPipeSource {
        private final PipeSource delegate;
        final AtomicLong bytes = new AtomicLong();

        Source(PipeSource delegate) {
            this.delegate = delegate;
        }

        @Override
        protected PipeSource delegate() {
            return delegate;
        }

        private long count(long r) {
            if (r > 0) {
                bytes.addAndGet(r);
            }
            return r;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) count(delegate.read(dst));
        }

        @Override
        public long vmsplice(List<? extends IoVec> into, SpliceFlag... flags) throws IOException {
            return count(delegate.vmsplice(into, flags));
        }

        @Override
        public long splice(PipeSink target, long length, SpliceFlag... flags) throws IOException {
            return count(delegate.splice(target, length, flags));
        }

        @Override
        public long splice(int fd, long length, SpliceFlag... flags) throws IOException {
            return count(delegate.splice(fd, length, flags));
        }

        @Override
        public long splice(NativeFile file, long offset, long length, SpliceFlag... flags) throws IOException {
            return count(delegate.splice(file, offset, length, flags));
        }
    }
}
