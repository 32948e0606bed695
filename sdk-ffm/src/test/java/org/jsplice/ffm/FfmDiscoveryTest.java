package org.jsplice.ffm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.jsplice.NativeBuffer;
import org.jsplice.Pipe;
import org.jsplice.Pipes;
import org.jsplice.testsuite.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Which provider serves: FFM where native access is enabled (by priority over JNA), JNA where it is
 * not (and FFM says which flag is missing), either when named. Each case is a JVM of its own.
 */
class FfmDiscoveryTest {

    /** Prints the chosen provider, FFM's availability, and moves a page through a pipe. */
    public static void main(String[] args) throws Exception {
        FfmPipeProvider ffm = new FfmPipeProvider();
        System.out.println("chosen=" + Pipes.provider().name());
        System.out.println("ffm.available=" + ffm.isAvailable());
        System.out.println("ffm.cause=" + ffm.unavailabilityCause());
        try (Pipe pipe = Pipes.open(); NativeBuffer page = Pipes.allocate(4096)) {
            page.asByteBuffer().put(0, (byte) 42);
            pipe.sink().vmspliceFully(List.of(page.slice(0, 4096)));
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (b.hasRemaining()) {
                pipe.source().read(b);
            }
            System.out.println("moved=" + b.get(0));
        }
    }

    private static String run(String... jvmArgs) throws Exception {
        String out = ChildJvm.run(FfmDiscoveryTest.class, jvmArgs);
        assertTrue(out.contains("moved=42"), out);
        return out;
    }

    @Test
    void withNativeAccessFfmWinsOverJna() throws Exception {
        String out = run("--enable-native-access=ALL-UNNAMED");
        assertTrue(out.contains("chosen=ffm"), out);
    }

    @Test
    void withoutNativeAccessJnaServesAndFfmNamesTheFlag() throws Exception {
        String out = run("--illegal-native-access=allow");
        assertTrue(out.contains("chosen=jna"), out);
        assertTrue(out.contains("ffm.available=false"), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
    }

    @Test
    void thePropertyChooses() throws Exception {
        assertTrue(run("--enable-native-access=ALL-UNNAMED", "-Dorg.jsplice.provider=jna").contains("chosen=jna"));
        assertTrue(run("--enable-native-access=ALL-UNNAMED", "-Dorg.jsplice.provider=ffm").contains("chosen=ffm"));
    }

    /** After close, every view and slice throws instead of reaching unmapped or reused memory. */
    @Test
    void aClosedBuffersViewsAndSlicesThrow() throws Exception {
        NativeBuffer b = new FfmPipeProvider().allocate(8192, false);
        ByteBuffer view = b.asByteBuffer();
        org.jsplice.IoVec slice = b.slice(0, 4096);
        view.put(0, (byte) 1);
        b.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> view.put(0, (byte) 2));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> view.get(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, slice::address);
        b.close();
    }
}
