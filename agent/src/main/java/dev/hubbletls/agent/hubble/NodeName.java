package dev.hubbletls.agent.hubble;

import java.util.Objects;
import java.util.Optional;

/**
 * A node's name as Hubble's peer service writes it: {@code <node>}, or
 * {@code <cluster>/<node>} when the cluster is not named {@code default}.
 *
 * @param cluster the cluster prefix, empty when the name carries none
 * @param node    the Kubernetes node name
 */
public record NodeName(Optional<String> cluster, String node) {

    public NodeName {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
    }

    /**
     * Reads {@code node} or {@code cluster/node}.
     *
     * @throws IllegalArgumentException naming the value when a part is empty or it has more
     *                                  than one slash
     */
    public static NodeName parse(String name) {
        String text = name == null ? "" : name.strip();
        String[] parts = text.split("/", -1);
        if (parts.length > 2 || text.isEmpty() || parts[parts.length - 1].isEmpty()
                || parts[0].isEmpty()) {
            throw new IllegalArgumentException(
                    "node name '" + name + "' is not <node> or <cluster>/<node>");
        }
        return parts.length == 1
                ? new NodeName(Optional.empty(), parts[0])
                : new NodeName(Optional.of(parts[0]), parts[1]);
    }

    /**
     * Whether this peer name denotes the node an operator asked for: the node parts are
     * equal and, when the wanted name carries a cluster, so are the clusters (a peer
     * without a prefix is in {@code default}). Both {@code worker-1} and
     * {@code prod/worker-1} match the peer {@code prod/worker-1}.
     */
    public boolean matches(NodeName wanted) {
        boolean sameCluster = wanted.cluster.isEmpty()
                || clusterOrDefault().equals(wanted.clusterOrDefault());
        return sameCluster && node.equals(wanted.node);
    }

    /** The cluster, {@code default} when the name carries no prefix. */
    public String clusterOrDefault() {
        return cluster.orElse(HubbleServerName.DEFAULT_CLUSTER);
    }

    /** The TLS server name Cilium gives this node's Hubble server. */
    public String serverName() {
        return HubbleServerName.of(node, clusterOrDefault());
    }

    @Override
    public String toString() {
        return cluster.map(c -> c + "/" + node).orElse(node);
    }
}
