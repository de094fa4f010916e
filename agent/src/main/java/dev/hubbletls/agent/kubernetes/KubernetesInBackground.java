package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link KubernetesFeatures} started on a thread of their own once the first check pass is
 * done, so that the pass neither waits for them nor shares the CPU with them: building the
 * Kubernetes client loads some 2,000 classes, most of a second of CPU on a small node, and
 * the features never hold a pass up for the API server anyway. Until they are up, judging
 * and recording do nothing: the cilium-config finding and the Events for what the first
 * pass found come with the next pass.
 */
public final class KubernetesInBackground implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesInBackground.class.getName());
    private static final KubernetesFeatures NOT_YET = KubernetesFeatures.off();

    private final Supplier<KubernetesFeatures> start;
    private final CompletableFuture<KubernetesFeatures> features = new CompletableFuture<>();
    private final AtomicBoolean begun = new AtomicBoolean();

    private KubernetesInBackground(Supplier<KubernetesFeatures> start) {
        this.start = start;
    }

    /** Features that {@code start} will set up when {@link #begin()} is first called. */
    public static KubernetesInBackground prepare(Supplier<KubernetesFeatures> start) {
        return new KubernetesInBackground(start);
    }

    /**
     * Runs the start on a daemon thread, the first time only; a failure there leaves the
     * features off. Does nothing once closed.
     */
    public void begin() {
        if (begun.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("kubernetes-start").start(this::setUp);
        }
    }

    // A class missing from the shaded jar surfaces here as an Error, not an exception: the
    // features are then off all the same, and close() must not wait for them forever.
    private void setUp() {
        try {
            features.complete(start.get());
        } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
            LOG.log(Level.WARNING, "Kubernetes features off: the client could not be set up ("
                    + e + "); no cilium-config check, no node events; every other check"
                    + " runs", e);
        } finally {
            features.complete(KubernetesFeatures.off());
        }
    }

    /** See {@link KubernetesFeatures#judge}; {@code report} itself until the features are up. */
    public CheckReport judge(CheckReport report) {
        return now().judge(report);
    }

    /** See {@link KubernetesFeatures#record}. */
    public void record(CheckReport report) {
        now().record(report);
    }

    /** See {@link KubernetesFeatures#rotated}. */
    public void rotated(String file, String message) {
        now().rotated(file, message);
    }

    /** Waits for a start in progress to end, then closes what it started. */
    @Override
    public void close() {
        if (begun.compareAndSet(false, true)) {
            return;
        }
        features.join().close();
    }

    private KubernetesFeatures now() {
        return features.getNow(NOT_YET);
    }
}
