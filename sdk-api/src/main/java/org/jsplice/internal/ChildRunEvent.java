package org.jsplice.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One run of {@code org.jsplice.process.ChildRun}, from its start to its return. */
@Name("org.jsplice.ChildRun")
@Label("jsplice Child Run")
@Category("jsplice")
@Description("A program or pipeline run over data: its command, pid, statuses and the bytes each way")
@StackTrace(false)
final class ChildRunEvent extends jdk.jfr.Event {
    /** Asked before anything is built: is the event enabled in a running recording? */
    static final ChildRunEvent PROBE = new ChildRunEvent();

    @Label("Command")
    String command;

    @Label("Process Id")
    @Description("The first child's pid, which also names the run's process group")
    int pid;

    @Label("Statuses")
    @Description("How each child ended: an exit code or a signal")
    String statuses;

    @Label("Bytes In")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @DataAmount
    long bytesOut;

    @Label("Failed")
    @Description("The side that failed first, or empty")
    String failed;

    @Label("Signals Sent")
    String signals;
}
