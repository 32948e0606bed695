package org.jsplice.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * A jsplice call that waited for its pipe: from its first wait to its return, recorded when that
 * took longer than the threshold (20 ms, as the JDK's {@code jdk.FileWrite}). A call that never
 * waits is never timed.
 */
@Name("org.jsplice.Transfer")
@Label("jsplice Transfer")
@Category("jsplice")
@Description("A call that waited for room or data in its pipe, from its first wait to its return")
@StackTrace(false)
@Threshold("20 ms")
final class TransferEvent extends jdk.jfr.Event {
    /** Asked before anything is built: is the event enabled in a running recording? */
    static final TransferEvent PROBE = new TransferEvent();

    @Label("Call")
    @Description("vmsplice, vmspliceFully, writeFully, read, splice or tee")
    String call;

    @Label("File Descriptor")
    int fd;

    @Label("Bytes")
    @Description("Bytes the call moved")
    @DataAmount
    long bytes;

    @Label("Segments")
    int segments;

    @Label("Waits")
    @Description("How often the call waited for its pipe")
    int waits;

    @Label("Time Waited")
    @Timespan
    long waited;
}
