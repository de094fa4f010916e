package dev.hubbletls.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Writes {@link NodeEvent}s to the API server on its own thread, from a bounded queue: a
 * full queue drops the Event rather than wait, so a slow or absent API server costs the
 * agent nothing but the Events themselves. A first occurrence is created; a repeat patches
 * the count, the last time and the message. The thread waits without polling: an idle
 * agent does not wake up for Events it has none of.
 */
public final class EventWriter implements Consumer<NodeEvent> {

    private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());
    /** The component Events name as their source. */
    public static final String COMPONENT = "hubble-tls-agent";
    static final int QUEUE_CAPACITY = 64;
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;

    private final KubernetesClient client;
    private final String namespace;
    private final String node;
    private final Optional<String> instance;
    private final ThreadPoolExecutor worker;
    private String nodeUid;
    private long dropped;
    private long failures;

    /**
     * A writer of Events about {@code node} into {@code namespace}; {@code instance} is this
     * pod's name, when known.
     */
    public EventWriter(KubernetesClient client, String namespace, String node,
                       Optional<String> instance) {
        this.client = client;
        this.namespace = namespace;
        this.node = node;
        this.instance = instance;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                Thread.ofPlatform().name("node-events").daemon().factory());
    }

    /** Starts the writing thread. */
    public void start() {
        worker.prestartCoreThread();
    }

    /** Queues {@code event}; drops it, counted, when the queue is full. Never blocks. */
    @Override
    public void accept(NodeEvent event) {
        try {
            worker.execute(() -> write(event));
        } catch (RejectedExecutionException rejected) {
            if (worker.isShutdown()) {
                LOG.fine(() -> "stopping: event " + event.reason() + " not written");
                return;
            }
            synchronized (this) {
                dropped++;
                if (dropped == 1 || dropped % 100 == 0) {
                    LOG.warning(dropped + " events dropped: the API server is not keeping up;"
                            + " status changes are still logged");
                }
            }
        }
    }

    /** Writes what is queued for at most {@code bound}, then stops. */
    public void flush(Duration bound) throws InterruptedException {
        worker.shutdown();
        if (!worker.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            int unwritten = worker.shutdownNow().size();
            LOG.warning(unwritten + " events not written before stopping: the API server"
                    + " did not answer within " + bound.toMillis() + " ms");
        }
    }

    private void write(NodeEvent event) {
        try {
            if (event.count() == 1) {
                create(event);
            } else {
                patch(event);
            }
            if (failures > 0) {
                LOG.info("events are written again after " + failures + " failures");
                failures = 0;
            }
        } catch (RuntimeException e) {
            failures++;
            if (failures == 1) {
                LOG.warning("cannot write event " + event.reason() + " on node " + node
                        + " in namespace " + namespace + ": " + e.getMessage()
                        + "; the agent goes on, later failures are counted");
            }
        }
    }

    private void create(NodeEvent event) {
        try {
            client.v1().events().inNamespace(namespace).resource(full(event)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != CONFLICT) {
                throw e;
            }
            patch(event);
        }
    }

    // The API server drops Events after an hour; a repeat of an expired one creates it anew.
    private void patch(NodeEvent event) {
        Event change = new EventBuilder()
                .withCount(event.count())
                .withLastTimestamp(timestamp(event.lastSeen()))
                .withMessage(event.message())
                .build();
        try {
            client.v1().events().inNamespace(namespace).withName(event.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), change);
        } catch (KubernetesClientException e) {
            if (e.getCode() != NOT_FOUND) {
                throw e;
            }
            client.v1().events().inNamespace(namespace).resource(full(event)).create();
        }
    }

    private Event full(NodeEvent event) {
        return new EventBuilder()
                .withNewMetadata().withName(event.name()).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(node)
                .withUid(nodeUid()).endInvolvedObject()
                .withType(event.type())
                .withReason(event.reason())
                .withMessage(event.message())
                .withCount(event.count())
                .withFirstTimestamp(timestamp(event.firstSeen()))
                .withLastTimestamp(timestamp(event.lastSeen()))
                .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance.orElse(node))
                .build();
    }

    // kubectl describe node finds Events by the Node's UID; without one they still list by name.
    private String nodeUid() {
        if (nodeUid == null) {
            try {
                nodeUid = Optional.ofNullable(client.nodes().withName(node).get())
                        .map(found -> found.getMetadata().getUid())
                        .orElse(null);
            } catch (KubernetesClientException e) {
                LOG.fine("cannot get node " + node + " for its UID: " + e.getMessage());
            }
        }
        return nodeUid;
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
