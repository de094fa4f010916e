package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;

/**
 * How a dial of the Hubble server ended, in a few words fit for a metric label:
 * {@code accepted}, {@code refused}, {@code server_certificate_rejected},
 * {@code connection_refused}, {@code unreachable}, {@code timeout}, {@code not_tls},
 * {@code error}. Whether that was the expected outcome is the check's verdict, not this.
 */
final class HandshakeOutcomes {

    private HandshakeOutcomes() {
    }

    static String of(Finding finding) {
        String failure = finding.details().get("failure");
        return failure == null ? byReason(finding) : byDial(failure,
                finding.details().getOrDefault("postHandshake", ""));
    }

    private static String byDial(String failure, String postHandshake) {
        return switch (failure) {
            case "NONE" -> switch (postHandshake) {
                case "ALERT", "CLOSED" -> "refused";
                case "ERROR" -> "error";
                default -> "accepted";
            };
            case "PEER_ALERT", "PEER_CLOSED" -> "refused";
            case "CONNECTION_REFUSED" -> "connection_refused";
            case "HOST_UNREACHABLE" -> "unreachable";
            case "TIMEOUT" -> "timeout";
            case "NOT_TLS" -> "not_tls";
            case "UNKNOWN_AUTHORITY", "SERVER_NAME_MISMATCH", "SERVER_CERT_EXPIRED",
                 "SERVER_CERT_NOT_YET_VALID", "SERVER_CA_EXPIRED", "SERVER_AUTH_USAGE_MISSING" ->
                    "server_certificate_rejected";
            default -> "error";
        };
    }

    // The gRPC probes carry a gRPC status rather than a dial outcome; their reason tells.
    private static String byReason(Finding finding) {
        return switch (finding.reason()) {
            case OK -> finding.check() == CheckId.PLAINTEXT_REFUSED ? "refused" : "accepted";
            case PLAINTEXT_ACCEPTED, NOT_HUBBLE_API -> "accepted";
            case CLIENT_CERT_REJECTED -> "refused";
            case CONNECTION_REFUSED -> "connection_refused";
            case HOST_UNREACHABLE -> "unreachable";
            case TIMEOUT -> "timeout";
            default -> "error";
        };
    }
}
