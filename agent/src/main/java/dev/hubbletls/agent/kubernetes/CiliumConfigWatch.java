package dev.hubbletls.agent.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Keeps a copy of Cilium's ConfigMap, read by name on its own thread every refresh, so
 * that a check pass only ever looks at the copy and a slow or absent API server never
 * delays it. A failed read keeps the last good copy.
 */
public final class CiliumConfigWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CiliumConfigWatch.class.getName());
    private static final int FORBIDDEN = 403;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Clock clock;
    private final AtomicReference<CiliumConfigState> state =
            new AtomicReference<>(new CiliumConfigState.Pending());
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("cilium-config").daemon().unstarted(runnable));
    private String lastProblem = "";

    public CiliumConfigWatch(KubernetesClient client, String namespace, String name, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads now, then every {@code refresh}. */
    public void start(Duration refresh) {
        thread.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** What is known now; never waits for the API server. */
    public CiliumConfigState state() {
        return state.get();
    }

    /** {@code namespace/name}, as messages name the ConfigMap. */
    public String reference() {
        return namespace + "/" + name;
    }

    /** One read; the scheduled refresh calls it, and tests call it directly. */
    void refresh() {
        try {
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
            if (map == null) {
                failed("ConfigMap " + reference() + " does not exist; set"
                        + " kubernetes.cilium-config-namespace and kubernetes.cilium-config-name"
                        + " to where Cilium keeps its configuration");
                return;
            }
            Map<String, String> data = Optional.ofNullable(map.getData()).orElse(Map.of());
            state.set(new CiliumConfigState.Found(data, clock.instant()));
            if (!lastProblem.isEmpty()) {
                LOG.info("read ConfigMap " + reference() + " again");
                lastProblem = "";
            }
        } catch (KubernetesClientException e) {
            failed(describe(e));
        } catch (RuntimeException e) {
            failed("reading ConfigMap " + reference() + " failed: " + e);
        }
    }

    private String describe(KubernetesClientException e) {
        return switch (e.getCode()) {
            case FORBIDDEN -> "the agent's service account may not get ConfigMap " + reference()
                    + "; grant get on configmaps/" + name + " in " + namespace
                    + " (the chart's Role does)";
            default -> "the API server did not answer for ConfigMap " + reference() + ": "
                    + Optional.ofNullable(e.getMessage()).orElse(e.toString());
        };
    }

    // A failure after a good read keeps the good copy: Cilium's configuration rarely changes,
    // and an API server that is down says nothing about it.
    private void failed(String problem) {
        if (!(state.get() instanceof CiliumConfigState.Found)) {
            state.set(new CiliumConfigState.Unavailable(problem, clock.instant()));
        }
        if (!problem.equals(lastProblem)) {
            LOG.warning(problem + "; will retry");
            lastProblem = problem;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
