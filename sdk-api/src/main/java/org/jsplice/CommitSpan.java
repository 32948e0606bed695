package org.jsplice;

/**
 * The {@code IoVec} of a {@link PipeWriter}'s commit, set and used under its commit lock and never
 * handed on past the sink's call, so that a commit allocates nothing. The sinks jsplice makes
 * read a segment once, before their first system call.
 */
final class CommitSpan implements IoVec {
    long address;
    long length;

    @Override
    public long address() {
        return address;
    }

    @Override
    public long length() {
        return length;
    }
}
