package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link KubernetesFeatures} started on a thread of their own, so that the first check pass
 * does not wait for them: building the Kubernetes client loads some 2,000 classes, most of
 * a second on a small node, and the features never hold a pass up for the API server
 * anyway. Until they are up, judging and recording do nothing; Events for what the first
 * pass found are then written with the next pass.
 */
public final class KubernetesInBackground implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesInBackground.class.getName());
    private static final KubernetesFeatures NOT_YET = KubernetesFeatures.off();

    private final CompletableFuture<KubernetesFeatures> features;

    private KubernetesInBackground(CompletableFuture<KubernetesFeatures> features) {
        this.features = features;
    }

    /** Runs {@code start} on a daemon thread; a failure there leaves the features off. */
    public static KubernetesInBackground start(Supplier<KubernetesFeatures> start) {
        CompletableFuture<KubernetesFeatures> features = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("kubernetes-start").start(() -> {
            try {
                features.complete(start.get());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Kubernetes features off: the client could not be set up ("
                        + e.getMessage() + "); no cilium-config check, no node events; every"
                        + " other check runs", e);
                features.complete(KubernetesFeatures.off());
            }
        });
        return new KubernetesInBackground(features);
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

    /** Waits for the start to end, then closes what it started. */
    @Override
    public void close() {
        features.join().close();
    }

    private KubernetesFeatures now() {
        return features.getNow(NOT_YET);
    }
}
