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

    uses org.jsplice.spi.PipeProvider;
}
