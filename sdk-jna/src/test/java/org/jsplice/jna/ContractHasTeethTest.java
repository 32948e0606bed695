package org.jsplice.jna;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

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
        List<String> caughtBy = new CopyOnWriteArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(mutantContract)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                            caughtBy.add(id.getDisplayName());
                        }
                    }
                });
        System.out.println(mutantContract.getSimpleName() + " caught by " + caughtBy);
        assertFalse(caughtBy.isEmpty(), mutantContract.getSimpleName() + " passed the whole contract");
    }
}
