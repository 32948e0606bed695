package org.jsplice.testsuite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A test container run through the JUnit Platform launcher on this thread, and how each test ended. */
public final class ContainerRun implements TestExecutionListener {
    public final AtomicInteger passed = new AtomicInteger();
    /** The display names of the tests that failed. */
    public final List<String> failedNames = new CopyOnWriteArrayList<>();
    /** Each failed test's name and what it threw. */
    public final List<String> failures = new CopyOnWriteArrayList<>();
    /** Each skipped or aborted test's name and reason. */
    public final List<String> skipped = new CopyOnWriteArrayList<>();

    private ContainerRun() {
    }

    public static ContainerRun of(Class<?> container) {
        ContainerRun run = new ContainerRun();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(container)).build(),
                run);
        return run;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        skipped.add(id.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        switch (result.getStatus()) {
            case SUCCESSFUL:
                passed.incrementAndGet();
                break;
            case ABORTED:
                skipped.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                break;
            default:
                failedNames.add(id.getDisplayName());
                failures.add(id.getDisplayName() + ": " + result.getThrowable().orElse(null));
        }
    }
}
