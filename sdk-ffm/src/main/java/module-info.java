/**
 * The Linux provider of jsplice on the JDK's foreign-function API: libc's pipe calls through
 * downcall handles, no binding library. Needs native access ({@code --enable-native-access}).
 */
module org.jsplice.ffm {
    requires org.jsplice;
    requires org.slf4j;

    provides org.jsplice.spi.PipeProvider with org.jsplice.ffm.FfmPipeProvider;
}
