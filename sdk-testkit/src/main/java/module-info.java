/**
 * The jsplice test kit: the contract every {@link org.jsplice.spi.PipeProvider} must pass, written
 * as jqwik properties, with the arbitraries, descriptors, reader harness and fakes that downstream
 * projects use to test their own providers and pipe code.
 */
module org.jsplice.testkit {
    requires transitive org.jsplice;
    requires transitive net.jqwik.api;
    requires org.opentest4j;

    exports org.jsplice.testkit;
    exports org.jsplice.testkit.contract;
    exports org.jsplice.testkit.fakes;

    // jqwik instantiates the arbitrary suppliers and calls the @Provide methods reflectively.
    opens org.jsplice.testkit;
    opens org.jsplice.testkit.contract;
}
