package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds this node's Hubble server through the node-local socket and judges what the peer
 * service says about it: listed or not, with TLS or without.
 */
public final class NodeDiscovery {

    /** How many peer names a NODE_NOT_FOUND message lists before it only counts them. */
    public static final int NAMES_LISTED = 20;

    private final HubbleClient client;
    private final Duration timeout;

    /** Discovery through {@code client}, each call bounded by {@code timeout}. */
    public NodeDiscovery(HubbleClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The outcome of one discovery.
     *
     * @param finding the verdict of {@link CheckId#DISCOVERY}
     * @param peer    this node's Hubble server, when listed (also when it serves without TLS)
     * @param status  what the server said in ServerStatus, when it answered
     */
    public record Discovery(Finding finding, Optional<HubblePeer> peer,
                            Optional<ServerStatus> status) {

        public Discovery {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(status, "status");
        }
    }

    /** Looks for {@code nodeName} ({@code <node>} or {@code <cluster>/<node>}); never throws. */
    public Discovery discover(String nodeName) {
        NodeName wanted;
        try {
            wanted = NodeName.parse(nodeName);
        } catch (IllegalArgumentException e) {
            return failed(Reason.NODE_NOT_FOUND, e.getMessage() + ": set --node-name, or"
                    + " $NODE_NAME from the downward API (fieldRef spec.nodeName)");
        }

        PeerSearch search;
        try {
            search = client.findPeer(wanted.toString(), timeout);
        } catch (HubbleException e) {
            // The socket answered when the node's address is unusable; only the node is wrong.
            Reason reason = e.kind() == HubbleException.Kind.UNUSABLE_ADDRESS
                    ? Reason.NODE_NOT_FOUND : Reason.SOCKET_UNREACHABLE;
            return failed(Finding.of(CheckId.DISCOVERY, Status.ERROR, reason, e.getMessage())
                    .with("problem", e.kind().name().toLowerCase(Locale.ROOT)));
        }
        if (search.peer().isEmpty()) {
            return failed(Reason.NODE_NOT_FOUND, notFound(wanted, search.namesSeen()));
        }
        return withStatus(search.peer().get());
    }

    // ServerStatus only adds facts: Notify already proved the socket serves Hubble.
    private Discovery withStatus(HubblePeer peer) {
        try {
            ServerStatus status = client.serverStatus(timeout);
            Finding finding = withFacts(judge(peer, status.version()), status);
            return new Discovery(finding, Optional.of(peer), Optional.of(status));
        } catch (HubbleException e) {
            Finding finding = judge(peer, "").with("server-status", "ServerStatus failed while"
                    + " peer.Peer/Notify worked: " + e.getMessage());
            return new Discovery(finding, Optional.of(peer), Optional.empty());
        }
    }

    private static Finding judge(HubblePeer peer, String version) {
        Finding verdict;
        if (peer.tlsServerName().isEmpty()) {
            verdict = Finding.of(CheckId.DISCOVERY, Status.CRITICAL, Reason.TLS_DISABLED,
                    "the Hubble server on " + peer.name() + " (" + peer.address() + ") serves"
                    + " without TLS; Relay expecting TLS will refuse it: set"
                    + " hubble-disable-tls=false / hubble.tls.enabled=true");
        } else {
            verdict = Finding.ok(CheckId.DISCOVERY, "found " + peer.name() + "'s Hubble server"
                    + " at " + peer.address() + ", server name " + peer.tlsServerName().get()
                    + ", Hubble " + (version.isEmpty() ? "version unknown" : version));
        }
        Finding finding = verdict.with("node", peer.name())
                .with("address", peer.address().hostPort());
        return peer.tlsServerName()
                .map(name -> withNameCheck(finding.with("server-name", name), peer, name))
                .orElse(finding);
    }

    // The certificate check judges the name; here it is only noted, since a custom name is
    // not wrong by itself and the server's certificate decides whether Relay accepts it.
    private static Finding withNameCheck(Finding finding, HubblePeer peer, String serverName) {
        NodeName name;
        try {
            name = NodeName.parse(peer.name());
        } catch (IllegalArgumentException e) {
            return finding.with("server-name-note", e.getMessage());
        }
        String expected = name.serverName();
        if (expected.equalsIgnoreCase(serverName)) {
            return finding;
        }
        return finding.with("server-name-note", "the peer announces " + serverName
                + " where Cilium would give node " + name.node() + " of cluster "
                + name.clusterOrDefault() + " the name " + expected
                + "; the server certificate check judges which name the certificate covers");
    }

    private static Finding withFacts(Finding finding, ServerStatus status) {
        Finding more = finding.with("hubble-version", status.version())
                .with("uptime", status.uptime().withNanos(0).toString())
                .with("flows", status.numFlows() + " of " + status.maxFlows() + " buffered, "
                        + status.seenFlows() + " seen");
        return status.flowsRate().map(rate -> more.with("flows-rate", rate + "/s")).orElse(more);
    }

    private static String notFound(NodeName wanted, List<String> names) {
        String listed = names.isEmpty() ? "it lists no nodes at all"
                : "it lists " + names.size() + ": " + sample(names);
        return "the node-local Hubble server does not list node " + wanted + "; " + listed
                + ". Pass this node's name with --node-name, or $NODE_NAME from the downward"
                + " API (fieldRef spec.nodeName); in a cluster not named default the peer"
                + " name carries a cluster/ prefix, and both node and cluster/node match it";
    }

    private static String sample(List<String> names) {
        if (names.size() <= NAMES_LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_LISTED)) + " and "
                + (names.size() - NAMES_LISTED) + " more";
    }

    private static Discovery failed(Reason reason, String message) {
        return failed(Finding.of(CheckId.DISCOVERY, Status.ERROR, reason, message));
    }

    private static Discovery failed(Finding finding) {
        return new Discovery(finding, Optional.empty(), Optional.empty());
    }
}
