package org.jsplice.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * What one pipe end has done since it was opened, every second and once more when it closes: the
 * last event of each {@code id} holds its totals, and their bytes add up to what moved.
 */
@Name("org.jsplice.PipeStatistics")
@Label("jsplice Pipe End")
@Category("jsplice")
@Description("Totals of one pipe end since it was opened: bytes, calls, waits; once a second and when it closes")
@StackTrace(false)
@Period("1 s")
final class PipeStatisticsEvent extends jdk.jfr.Event {
    @Label("Id")
    @Description("Unique for the JVM's life; descriptor numbers are reused")
    long id;

    @Label("File Descriptor")
    int fd;

    @Label("End")
    @Description("sink (write end) or source (read end)")
    String end;

    @Label("Bytes")
    @DataAmount
    long bytes;

    @Label("Calls")
    long calls;

    @Label("Waits")
    long waits;

    @Label("Closed")
    boolean closed;
}
