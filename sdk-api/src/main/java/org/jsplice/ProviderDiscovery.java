package org.jsplice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsplice.spi.NativePipeProvider;
import org.jsplice.spi.PipeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the provider: the one named by {@value #PROPERTY} if set, else the available one with
 * the highest priority. A provider that cannot be loaded, or throws while probed, is set aside
 * without stopping the others. Choosing never throws: without a provider the result is a failure
 * whose message says what to do about its cause, and whose cause is the provider's own.
 */
final class ProviderDiscovery {
    static final String PROPERTY = "org.jsplice.provider";
    static final String ARTIFACT_ADVICE = "add org.jsplice:sdk-jna (JDK 17+) or org.jsplice:sdk-ffm (JDK 22+) "
            + "to the run-time class path (or module path)";

    private static final Logger LOG = LoggerFactory.getLogger(Pipes.class);
    /** A loader whose iterator keeps failing must not keep the search going forever. */
    private static final int MAX_LOAD_ERRORS = 64;
    private static final Pattern NAMED_MODULE = Pattern.compile("from module ([\\w.]+)");

    private ProviderDiscovery() {
    }

    /** What choosing gave: a provider, or the failure to report on every use. */
    static final class Selection {
        final PipeProvider provider;
        final IllegalStateException failure;

        private Selection(PipeProvider provider, IllegalStateException failure) {
            this.provider = provider;
            this.failure = failure;
        }
    }

    /**
     * A provider that loaded, probed on first need only: a provider's probe loads its native
     * binding, which one that is not chosen should never do.
     */
    private static final class Candidate {
        final PipeProvider provider;
        final String name;
        final int priority;
        private boolean probed;
        private Throwable unavailable;

        Candidate(PipeProvider provider, String name, int priority) {
            this.provider = provider;
            this.name = name;
            this.priority = priority;
        }

        /** Why the provider cannot be used, or null; probes it the first time. */
        Throwable unavailable() {
            if (!probed) {
                probed = true;
                try {
                    unavailable = provider.isAvailable() ? null : Objects.requireNonNullElseGet(provider.unavailabilityCause(),
                            () -> new IllegalStateException("isAvailable() is false and no cause was given"));
                } catch (RuntimeException | LinkageError e) {
                    // isAvailable() must not throw; one that does is unavailable for what it threw.
                    unavailable = NativePipeProvider.rootCause(e);
                }
            }
            return unavailable;
        }

        boolean available() {
            return unavailable() == null;
        }

        String describe() {
            String what = name + " (" + provider.getClass().getName() + ", priority " + priority + ")";
            return !probed ? what + ": not probed" : available() ? what : what + ": unavailable: " + unavailable;
        }
    }

    /** A provider that failed to load, or threw while probed. */
    private static final class Broken {
        final String what;
        final Throwable error;

        Broken(String what, Throwable error) {
            this.what = what;
            this.error = error;
        }
    }

    /**
     * As {@link #choose(ClassLoader, String)}, throwing the failure.
     *
     * @throws IllegalStateException with the full story when no provider can be used
     */
    static PipeProvider select(ClassLoader loader, String requested) {
        Selection s = choose(loader, requested);
        if (s.provider == null) {
            throw s.failure;
        }
        return s.provider;
    }

    /**
     * Chooses a provider; never throws.
     *
     * @param loader where to look for {@code META-INF/services} entries and provider classes
     * @param requested the value of {@value #PROPERTY}, or {@code null}
     */
    static Selection choose(ClassLoader loader, String requested) {
        List<Candidate> found = new ArrayList<>();
        List<Broken> broken = new ArrayList<>();
        try {
            load(loader, found, broken);
        } catch (RuntimeException | LinkageError e) {
            broken.add(new Broken("the search for providers failed", NativePipeProvider.rootCause(e)));
        }

        if (requested != null && !requested.isBlank()) {
            for (Candidate c : found) {
                if (requested.equals(c.name) || requested.equals(c.provider.getClass().getName())) {
                    if (!c.available()) {
                        probeAll(found);
                        return failed("jsplice provider '" + requested + "', requested by -D" + PROPERTY
                                + ", is unavailable: " + advice(c.unavailable()) + ". " + story(found, broken),
                                c.unavailable(), found, broken);
                    }
                    LOG.debug("jsplice provider {} chosen by -D{}", c.describe(), PROPERTY);
                    return new Selection(c.provider, null);
                }
            }
            probeAll(found);
            return failed("jsplice provider '" + requested + "', requested by -D" + PROPERTY + ", was not found: "
                    + ARTIFACT_ADVICE + ". " + story(found, broken), null, found, broken);
        }

        // Probe in the order of choice, and stop at the first that is available.
        Candidate best = found.stream()
                .sorted(Comparator.comparingInt((Candidate c) -> c.priority).reversed()
                        .thenComparing(c -> c.name)
                        .thenComparing(c -> c.provider.getClass().getName()))
                .filter(Candidate::available)
                .findFirst()
                .orElse(null);
        if (best == null) {
            Throwable primary = primaryCause(found, broken);
            String advice = primary == null ? ARTIFACT_ADVICE : advice(primary);
            return failed("No jsplice provider is available: " + advice + ". " + story(found, broken),
                    primary, found, broken);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("jsplice provider {} chosen; {}", best.describe(), story(found, broken));
        }
        return new Selection(best.provider, null);
    }

    /** On the way to a failure, so that its story says why each provider is out. */
    private static void probeAll(List<Candidate> found) {
        found.forEach(Candidate::unavailable);
    }

    /** The failure: {@code primary} as its cause, every other provider's trouble suppressed in it. */
    private static Selection failed(String message, Throwable primary, List<Candidate> found, List<Broken> broken) {
        IllegalStateException failure = new IllegalStateException(message, primary);
        for (Candidate c : found) {
            if (c.unavailable() != null && c.unavailable() != primary) {
                failure.addSuppressed(c.unavailable());
            }
        }
        for (Broken b : broken) {
            if (b.error != primary) {
                failure.addSuppressed(b.error);
            }
        }
        return new Selection(null, failure);
    }

    /** The cause to lead with: the highest-priority unavailable provider's, else the first load error. */
    private static Throwable primaryCause(List<Candidate> found, List<Broken> broken) {
        return found.stream()
                .filter(c -> !c.available())
                .max(Comparator.comparingInt((Candidate c) -> c.priority))
                .map(Candidate::unavailable)
                .orElse(broken.isEmpty() ? null : broken.get(0).error);
    }

    /**
     * What to do about a provider's cause: enable native access, fix the native library, run on
     * another platform, or add an artifact.
     */
    static String advice(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IllegalCallerException) {
                return nativeAccessAdvice(t);
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LinkageError && !(t instanceof ExceptionInInitializerError)) {
                return "a native library could not be linked (" + t + "): check that JNA's native library "
                        + "(jnidispatch) suits this platform, or use org.jsplice:sdk-ffm on JDK 22+";
            }
            if (t instanceof UnsupportedOperationException) {
                return "this platform is not supported (" + t.getMessage() + "): jsplice needs Linux on a 64-bit JVM";
            }
        }
        return "the provider could not start (" + cause + ")";
    }

    private static String nativeAccessAdvice(Throwable illegalCaller) {
        String message = String.valueOf(illegalCaller.getMessage());
        if (message.contains("--enable-native-access")) {
            return message;
        }
        Matcher named = NAMED_MODULE.matcher(message);
        String flag = named.find() ? named.group(1) : "ALL-UNNAMED";
        return "native access is not enabled (" + message + "): start the JVM with --enable-native-access=" + flag
                + " (an executable jar may say Enable-Native-Access: ALL-UNNAMED in its manifest instead)";
    }

    private static void load(ClassLoader loader, List<Candidate> found, List<Broken> broken) {
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
                String what = e.getCause() == null ? String.valueOf(e) : e + " (caused by " + e.getCause() + ")";
                broken.add(new Broken(what, NativePipeProvider.rootCause(e)));
                continue;
            }
            String name;
            int priority;
            try {
                name = p.name();
                priority = p.priority();
            } catch (RuntimeException | LinkageError e) {
                Throwable root = NativePipeProvider.rootCause(e);
                broken.add(new Broken(p.getClass().getName() + " failed to say its name and priority: " + root, root));
                continue;
            }
            found.add(new Candidate(p, name, priority));
        }
    }

    private static String story(List<Candidate> found, List<Broken> broken) {
        StringBuilder sb = new StringBuilder("Providers found: ");
        if (found.isEmpty()) {
            sb.append("none");
        }
        for (int i = 0; i < found.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(found.get(i).describe());
        }
        if (!broken.isEmpty()) {
            sb.append(". Providers that failed to load: ");
            for (int i = 0; i < broken.size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(broken.get(i).what);
            }
        }
        return sb.append('.').toString();
    }
}
