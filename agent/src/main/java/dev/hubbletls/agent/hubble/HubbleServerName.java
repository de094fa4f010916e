package dev.hubbletls.agent.hubble;

import java.util.Locale;
import java.util.Optional;

/** The TLS server name Cilium gives a node's Hubble server, and the names around it. */
public final class HubbleServerName {

    /** The cluster name Cilium uses when none is configured. */
    public static final String DEFAULT_CLUSTER = "default";

    private static final String SUFFIX = ".hubble-grpc.cilium.io";

    private HubbleServerName() {
    }

    /**
     * {@code <node>.<cluster>.hubble-grpc.cilium.io}, with dots inside the node and cluster
     * names turned into dashes and an empty cluster meaning {@code default}.
     */
    public static String of(String node, String cluster) {
        return label(node) + "." + label(clusterOrDefault(cluster)) + SUFFIX;
    }

    /** The wildcard the server certificate carries: {@code *.<cluster>.hubble-grpc.cilium.io}. */
    public static String wildcard(String cluster) {
        return "*." + label(clusterOrDefault(cluster)) + SUFFIX;
    }

    /** The cluster label in a Hubble server name, or empty if it is not one. */
    public static Optional<String> clusterOf(String serverName) {
        String name = serverName.toLowerCase(Locale.ROOT);
        if (!name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String head = name.substring(0, name.length() - SUFFIX.length());
        int dot = head.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(head.substring(dot + 1));
    }

    private static String clusterOrDefault(String cluster) {
        return cluster == null || cluster.isBlank() ? DEFAULT_CLUSTER : cluster;
    }

    private static String label(String name) {
        return name.replace('.', '-');
    }
}
