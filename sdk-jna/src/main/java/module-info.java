/**
 * The Linux provider of jsplice: libc's pipe calls through JNA direct mapping.
 */
module org.jsplice.jna {
    requires org.jsplice;
    requires com.sun.jna;
    requires org.slf4j;

    provides org.jsplice.spi.PipeProvider with org.jsplice.jna.JnaPipeProvider;
}
