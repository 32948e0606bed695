package org.jsplice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jsplice.spi.PipeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the provider: the one named by {@value #PROPERTY} if set, else the available one with
 * the highest priority. A provider that cannot be loaded, or throws while probed, is set aside
 * without stopping the others.
 */
final class ProviderDiscovery {
    static final String PROPERTY = "org.jsplice.provider";
    static final String ADVICE = "add org.jsplice:sdk-jna to the run-time class path (or module path)";

    private static final Logger LOG = LoggerFactory.getLogger(Pipes.class);
    /** A loader whose iterator keeps failing must not keep the search going forever. */
    private static final int MAX_LOAD_ERRORS = 64;

    private ProviderDiscovery() {
    }

    /** A provider that loaded, and what probing it said. */
    private static final class Candidate {
        final PipeProvider provider;
        final String name;
        final int priority;
        final Throwable unavailable;

        Candidate(PipeProvider provider, String name, int priority, Throwable unavailable) {
            this.provider = provider;
            this.name = name;
            this.priority = priority;
            this.unavailable = unavailable;
        }

        boolean available() {
            return unavailable == null;
        }

        String describe() {
            String what = name + " (" + provider.getClass().getName() + ", priority " + priority + ")";
            return available() ? what : what + ": unavailable: " + unavailable;
        }
    }

    /**
     * @param loader where to look for {@code META-INF/services} entries and provider classes
     * @param requested the value of {@value #PROPERTY}, or {@code null}
     * @throws IllegalStateException with the full story when no provider can be used
     */
    static PipeProvider select(ClassLoader loader, String requested) {
        List<Candidate> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        load(loader, found, broken);

        if (requested != null && !requested.isBlank()) {
            for (Candidate c : found) {
                if (requested.equals(c.name) || requested.equals(c.provider.getClass().getName())) {
                    if (!c.available()) {
                        throw new IllegalStateException("jsplice provider '" + requested + "', requested by -D"
                                + PROPERTY + ", is unavailable: " + c.unavailable, c.unavailable);
                    }
                    LOG.debug("jsplice provider {} chosen by -D{}", c.describe(), PROPERTY);
                    return c.provider;
                }
            }
            throw new IllegalStateException("jsplice provider '" + requested + "', requested by -D" + PROPERTY
                    + ", was not found; " + story(found, broken));
        }

        Candidate best = found.stream()
                .filter(Candidate::available)
                .max(Comparator.comparingInt((Candidate c) -> c.priority)
                        .thenComparing(c -> c.name, Comparator.reverseOrder())
                        .thenComparing(c -> c.provider.getClass().getName(), Comparator.reverseOrder()))
                .orElse(null);
        if (best == null) {
            throw new IllegalStateException("No jsplice provider is available: " + ADVICE + ". " + story(found, broken));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("jsplice provider {} chosen; {}", best.describe(), story(found, broken));
        }
        return best.provider;
    }

    private static void load(ClassLoader loader, List<Candidate> found, List<String> broken) {
        Iterator<PipeProvider> it = ServiceLoader.load(PipeProvider.class, loader).iterator();
        int errors = 0;
        while (errors < MAX_LOAD_ERRORS) {
            PipeProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                broken.add(e.getCause() == null ? String.valueOf(e) : e + " (caused by " + e.getCause() + ")");
                continue;
            }
            try {
                String name = p.name();
                int priority = p.priority();
                Throwable cause = null;
                if (!p.isAvailable()) {
                    cause = p.unavailabilityCause();
                    if (cause == null) {
                        cause = new IllegalStateException("isAvailable() is false and no cause was given");
                    }
                }
                found.add(new Candidate(p, name, priority, cause));
            } catch (RuntimeException | LinkageError e) {
                broken.add(p.getClass().getName() + " failed while probed: " + e);
            }
        }
    }

    private static String story(List<Candidate> found, List<String> broken) {
        StringBuilder sb = new StringBuilder("Providers found: ");
        if (found.isEmpty()) {
            sb.append("none");
        }
        for (int i = 0; i < found.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(found.get(i).describe());
        }
        if (!broken.isEmpty()) {
            sb.append(". Providers that failed to load: ").append(String.join("; ", broken));
        }
        return sb.append('.').toString();
    }
}
