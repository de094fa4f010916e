package dev.hubbletls.agent.config;

import java.time.Duration;
import java.util.Optional;

/**
 * What the agent reads from and writes to the Kubernetes API.
 *
 * @param enabled                  whether to talk to the API server at all
 * @param ciliumConfigNamespace    namespace of Cilium's ConfigMap
 * @param ciliumConfigName         name of Cilium's ConfigMap
 * @param events                   whether to record Events on this node's Node object
 * @param eventRepeat              how often an Event is repeated while its problem lasts
 * @param eventNamespace           namespace the Events are written to: the agent's own
 * @param podName                  this pod's name, reported as the Events' instance
 */
public record KubernetesSettings(boolean enabled, String ciliumConfigNamespace,
                                 String ciliumConfigName, boolean events, Duration eventRepeat,
                                 String eventNamespace, Optional<String> podName) {

    /** Where Events go when $POD_NAMESPACE is not set, as for a kubeconfig run on a laptop. */
    public static final String DEFAULT_EVENT_NAMESPACE = "default";
}
