package org.jsplice.jna;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.jsplice.testsuite.ContainerRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract must catch real bugs: run it against each deliberately broken provider of {@link
 * MutantProviders}: the property written against its bug must fail, by name, so that a property
 * which stops testing what it claims shows here even when another one still catches the mutant.
 */
class ContractHasTeethTest {

    /** Each mutant beside the property written to catch its bug; others may catch it too. */
    static Stream<Arguments> mutants() {
        return Stream.of(
            arguments(MutantProviders.DropsLastByteContract.class, "vmspliceFullyDeliversTheConcatenationByteForByte"),
            arguments(MutantProviders.IgnoresGiftAlignmentContract.class, "giftIsAcceptedExactlyWhenEverySegmentIsPageAligned"),
            arguments(MutantProviders.OverReportsContract.class, "aRawCallMovesExactlyAPrefixOfTheConcatenation"),
            arguments(MutantProviders.DoesNotBatchContract.class, "vmspliceFullyDeliversAnyNumberOfSegments"),
            arguments(MutantProviders.CallsAfterCloseContract.class, "everyCallAfterCloseThrowsClosedChannelException"),
            arguments(MutantProviders.ReadDropsAByteContract.class, "readDeliversThePipesBytesInOrderThenEndOfStream"),
            arguments(MutantProviders.SpliceIgnoresOffsetContract.class, "spliceToAFileAtAnOffsetWritesThere"),
            arguments(MutantProviders.TeeConsumesContract.class, "teeDuplicatesAPrefixWithoutConsumingIt"),
            arguments(MutantProviders.MkfifoMakesAFileContract.class, "aFifoCarriesBytesFromItsWriterToItsReader"),
            arguments(MutantProviders.FileTypeMislabelsSocketsContract.class, "fileTypeNamesEachKindOfDescriptor"),
            arguments(MutantProviders.ClaimsToCopyContract.class, "aProviderThatSaysItCopiesLeavesTheMemoryFreeOnReturn"),
            arguments(MutantProviders.TeeUndeclaredButWorksContract.class, "teeDuplicatesAPrefixWithoutConsumingIt"));
    }

    @ParameterizedTest(name = "{0} caught by {1}")
    @MethodSource("mutants")
    void eachBrokenProviderIsCaughtByThePropertyAboutItsBug(Class<?> mutantContract, String property) {
        List<String> caughtBy = ContainerRun.of(mutantContract).failedNames;
        System.out.println(mutantContract.getSimpleName() + " caught by " + caughtBy);
        assertFalse(caughtBy.isEmpty(), mutantContract.getSimpleName() + " passed the whole contract");
        assertTrue(caughtBy.contains(property),
                mutantContract.getSimpleName() + " escaped " + property + "; caught only by " + caughtBy);
    }
}
