package org.jsplice.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** What one {@code PipeWriter} has done since it was built, every second and once more when it closes. */
@Name("org.jsplice.WriterStatistics")
@Label("jsplice Pipe Writer")
@Category("jsplice")
@Description("Totals of one PipeWriter since it was built: bytes committed, commits, renewals, waits for a region")
@StackTrace(false)
@Period("1 s")
final class WriterStatisticsEvent extends jdk.jfr.Event {
    @Label("Id")
    long id;

    @Label("Mode")
    String mode;

    @Label("Sink File Descriptor")
    int fd;

    @Label("Committed")
    @DataAmount
    long committed;

    @Label("Commits")
    long commits;

    @Label("Renewals")
    @Description("Spans of memory given fresh pages (MADV_DONTNEED) after the pipe took their bytes")
    long renewals;

    @Label("Waits")
    @Description("Claims that waited for a free region")
    long waits;

    @Label("Closed")
    boolean closed;
}
