package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.probe.HandshakeOutcome.PostHandshake;
import dev.hubbletls.agent.probe.HandshakeOutcome.Stage;

/**
 * Words for dials that ended before any certificate mattered, so that nobody chases
 * certificates when the agent is down, the port is wrong or the network drops packets.
 */
final class ConnectionTrouble {

    private ConnectionTrouble() {
    }

    /** The reason code for a dial that ended at the connection level or without TLS. */
    static Reason reason(HandshakeOutcome outcome) {
        if (outcome.postHandshake() == PostHandshake.TOO_SLOW) {
            return Reason.TIMEOUT;
        }
        return switch (outcome.failure()) {
            case CONNECTION_REFUSED -> Reason.CONNECTION_REFUSED;
            case HOST_UNREACHABLE -> Reason.HOST_UNREACHABLE;
            case TIMEOUT -> Reason.TIMEOUT;
            case NOT_TLS -> Reason.TLS_DISABLED;
            default -> Reason.HANDSHAKE_FAILED;
        };
    }

    /** What happened, and that it is not a certificate problem. */
    static String explain(ProbeTarget target, HandshakeOutcome outcome, String timeout) {
        String address = target.address();
        if (outcome.postHandshake() == PostHandshake.TOO_SLOW) {
            return address + " completed the TLS handshake only after "
                    + outcome.handshakeDuration().toMillis() + " ms, too late in the " + timeout
                    + " timeout to wait for its verdict on this client. This is not a"
                    + " certificate problem: the server or the network is slow; raise --timeout.";
        }
        if (outcome.stage() == Stage.CONNECT && outcome.failure() == Failure.PEER_CLOSED) {
            return address + " accepted the TCP connection and reset it at once, before any"
                    + " TLS (" + outcome.error().orElse("reset") + "). This is not a"
                    + " certificate problem: the server drops connections (a connection limit,"
                    + " an overloaded process, or a firewall or proxy resetting them); check"
                    + " what listens on the port.";
        }
        if (outcome.postHandshake() == PostHandshake.CLOSED) {
            return address + " completed the TLS handshake without asking for a client"
                    + " certificate, then closed the connection without an alert, so whether"
                    + " it would serve this client cannot be told. A Hubble server does not"
                    + " behave like this: check what listens on the port.";
        }
        return switch (outcome.failure()) {
            case CONNECTION_REFUSED -> "nothing accepts connections on " + address
                    + " (connection refused). This is not a certificate problem: check that"
                    + " the Cilium agent runs on the node, that hubble-listen-address is :4244"
                    + " and that the address and port are right.";
            case HOST_UNREACHABLE -> address + " cannot be reached ("
                    + outcome.error().orElse("no route") + "). This is not a certificate"
                    + " problem: check DNS, routes and the node address.";
            case TIMEOUT -> timeoutText(address, outcome, timeout);
            case NOT_TLS -> address + " answered with bytes that are not TLS: TLS is off on"
                    + " this port (hubble-disable-tls: \"true\" in cilium-config) or something"
                    + " other than Hubble listens here, and Relay, which expects TLS, fails"
                    + " either way; see " + CheckId.PLAINTEXT_REFUSED.id() + ", which says"
                    + " PLAINTEXT_ACCEPTED when Hubble serves plaintext here.";
            default -> "the TLS handshake with " + address + " failed: "
                    + outcome.error().orElse("no detail");
        };
    }

    private static String timeoutText(String address, HandshakeOutcome outcome, String timeout) {
        if (outcome.stage() == Stage.CONNECT) {
            return "connecting to " + address + " did not finish within " + timeout
                    + ". This is not a certificate problem: check network policies, firewalls"
                    + " and the node address.";
        }
        return address + " accepted the TCP connection but did not complete a TLS handshake"
                + " within " + timeout + ". This is not a certificate problem: something other"
                + " than the Hubble server may hold the port, or the network swallows traffic.";
    }
}
