package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.KubernetesSettings;
import dev.hubbletls.agent.finding.Finding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The agent's Kubernetes side in {@code run}: Cilium's ConfigMap judged with every pass,
 * and Events on this node's Node object. When switched off or without credentials it does
 * nothing, after saying so once.
 */
public final class KubernetesFeatures implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesFeatures.class.getName());
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(2);

    private final Optional<KubernetesClient> client;
    private final Optional<CiliumConfigWatch> ciliumConfig;
    private final Optional<EventWriter> writer;
    private final Optional<NodeEvents> events;

    private KubernetesFeatures(Optional<KubernetesClient> client,
                               Optional<CiliumConfigWatch> ciliumConfig,
                               Optional<EventWriter> writer, Optional<NodeEvents> events) {
        this.client = client;
        this.ciliumConfig = ciliumConfig;
        this.writer = writer;
        this.events = events;
    }

    /**
     * Connects when {@code settings} allow and credentials are found in
     * {@code environment}, the service account mount or the home directory; the ConfigMap
     * is read every {@code refresh}.
     */
    public static KubernetesFeatures start(KubernetesSettings settings, Optional<String> node,
                                           Map<String, String> environment, Clock clock,
                                           Duration refresh) {
        if (!settings.enabled()) {
            LOG.info("Kubernetes features off (kubernetes.enabled is false): no cilium-config"
                    + " check, no node events; every other check runs");
            return off();
        }
        ClusterAccess.Credentials credentials = ClusterAccess.find(environment,
                ClusterAccess.SERVICE_ACCOUNT, Path.of(System.getProperty("user.home")));
        if (credentials instanceof ClusterAccess.Credentials.None none) {
            LOG.info("Kubernetes features off: " + none.looked() + "; no cilium-config check,"
                    + " no node events; every other check runs");
            return off();
        }
        LOG.info("Kubernetes features on, with " + (credentials
                instanceof ClusterAccess.Credentials.Kubeconfig kubeconfig
                ? "kubeconfig " + kubeconfig.file() : "the pod's service account"));
        return with(ClusterAccess.connect(), settings, node, clock, refresh);
    }

    /** The features over {@code client}, which they close when closed. */
    public static KubernetesFeatures with(KubernetesClient client, KubernetesSettings settings,
                                          Optional<String> node, Clock clock, Duration refresh) {
        CiliumConfigWatch watch = new CiliumConfigWatch(client,
                settings.ciliumConfigNamespace(), settings.ciliumConfigName(), clock);
        watch.start(refresh);
        if (!settings.events() || node.isEmpty()) {
            LOG.info(settings.events() ? "node events off: no node name (--server without"
                    + " --node-name)" : "node events off (kubernetes.events is false)");
            return new KubernetesFeatures(Optional.of(client), Optional.of(watch),
                    Optional.empty(), Optional.empty());
        }
        EventWriter writer = new EventWriter(client, settings.eventNamespace(), node.get(),
                settings.podName());
        writer.start();
        NodeEvents events = new NodeEvents(node.get(), settings.eventRepeat(), clock, writer);
        return new KubernetesFeatures(Optional.of(client), Optional.of(watch),
                Optional.of(writer), Optional.of(events));
    }

    /** Nothing to do. */
    public static KubernetesFeatures off() {
        return new KubernetesFeatures(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** {@code report} with the cilium-config finding added, when the ConfigMap is known. */
    public CheckReport judge(CheckReport report) {
        Optional<Finding> finding = ciliumConfig.flatMap(watch -> CiliumConfigCheck.judge(
                watch.state(), watch.reference(), report));
        if (finding.isEmpty()) {
            return report;
        }
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.add(finding.get());
        findings.sort(Comparator.comparing(Finding::check));
        return new CheckReport(report.node(), report.target(), report.startedAt(),
                report.finishedAt(), findings, report.certificates(), report.timings());
    }

    /** Records Events for what changed with {@code report}; never waits on the API server. */
    public void record(CheckReport report) {
        events.ifPresent(recorder -> recorder.record(report));
    }

    /** Records an Event for a rotation of {@code file}. */
    public void rotated(String file, String message) {
        events.ifPresent(recorder -> recorder.rotated(file, message));
    }

    /** Writes queued Events for a short bound, stops reading, closes the client. */
    @Override
    public void close() {
        ciliumConfig.ifPresent(CiliumConfigWatch::close);
        try {
            if (writer.isPresent()) {
                writer.get().flush(FLUSH_BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.ifPresent(KubernetesClient::close);
        }
    }
}
