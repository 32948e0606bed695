package org.jsplice.jna;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract must catch real bugs: run it against each deliberately broken provider of {@link
 * MutantProviders} and demand at least one failing property.
 */
class ContractHasTeethTest {

    @ParameterizedTest
    @ValueSource(classes = {
        MutantProviders.DropsLastByteContract.class,
        MutantProviders.IgnoresGiftAlignmentContract.class,
        MutantProviders.OverReportsContract.class,
        MutantProviders.DoesNotBatchContract.class,
        MutantProviders.CallsAfterCloseContract.class,
        MutantProviders.ReadDropsAByteContract.class,
        MutantProviders.SpliceIgnoresOffsetContract.class,
        MutantProviders.TeeConsumesContract.class,
        MutantProviders.MkfifoMakesAFileContract.class,
        MutantProviders.FileTypeMislabelsSocketsContract.class,
        MutantProviders.ClaimsToCopyContract.class,
        MutantProviders.TeeUndeclaredButWorksContract.class,
    })
    void everyBrokenProviderFailsTheContract(Class<?> mutantContract) {
        List<String> caughtBy = ContainerRun.of(mutantContract).failedNames;
        System.out.println(mutantContract.getSimpleName() + " caught by " + caughtBy);
        assertFalse(caughtBy.isEmpty(), mutantContract.getSimpleName() + " passed the whole contract");
    }
}
