/**
 * The jsplice API: zero-copy Linux pipe I/O around {@code vmsplice(2)}.
 *
 * <p>Applications compile against this module only and put a provider (such as
 * {@code org.jsplice:sdk-jna}) on the run-time class path or module path; {@link org.jsplice.Pipes}
 * finds it with {@link java.util.ServiceLoader}.
 */
module org.jsplice {
    requires org.slf4j;
    requires jdk.jfr;

    exports org.jsplice;
    exports org.jsplice.spi;
    exports org.jsplice.process;
    // What the providers share with the core: the Linux constants, the range checks, the cleaner.
    exports org.jsplice.internal to org.jsplice.jna, org.jsplice.ffm;
    exports org.jsplice.internal.linux to org.jsplice.jna, org.jsplice.ffm;

    uses org.jsplice.spi.PipeProvider;
}
