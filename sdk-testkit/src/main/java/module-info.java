/**
 * Tools for testing jsplice providers and the code that uses them.
 */
module org.jsplice.testkit {
    requires transitive org.jsplice;

    exports org.jsplice.testkit;
}
