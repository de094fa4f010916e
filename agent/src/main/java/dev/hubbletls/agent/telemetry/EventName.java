package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckTransitions.Kind;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;

/**
 * The names of the agent's events, as log records and span events carry them. Alert routes
 * key on these names; a name is never changed, only added.
 */
enum EventName {
    CERTIFICATE_EXPIRING("hubble_tls.certificate.expiring"),
    CERTIFICATE_EXPIRED("hubble_tls.certificate.expired"),
    CERTIFICATE_ROTATED("hubble_tls.certificate.rotated"),
    MTLS_NOT_ENFORCED("hubble_tls.mtls.not_enforced"),
    FOREIGN_CLIENT_CERTIFICATE_ACCEPTED("hubble_tls.client_certificate.foreign_accepted"),
    PLAINTEXT_ACCEPTED("hubble_tls.plaintext.accepted"),
    HANDSHAKE_FAILED("hubble_tls.handshake.failed"),
    SERVER_NOT_RELOADED("hubble_tls.server.not_reloaded"),
    /** A problem of the agent's own inputs: socket, node, relay files. */
    CHECK_FAILED("hubble_tls.check.failed"),
    RECOVERED("hubble_tls.check.recovered");

    private final String text;

    EventName(String text) {
        this.text = text;
    }

    /** The name as exported, for example {@code hubble_tls.mtls.not_enforced}. */
    String text() {
        return text;
    }

    /** The event that announces {@code finding} after a transition of {@code kind}. */
    static EventName of(Kind kind, Finding finding) {
        if (kind == Kind.RECOVERED) {
            return RECOVERED;
        }
        return switch (finding.reason()) {
            case CERT_EXPIRING, CA_EXPIRING, CA_EXPIRES_BEFORE_LEAF -> CERTIFICATE_EXPIRING;
            case CERT_EXPIRED, CA_EXPIRED -> CERTIFICATE_EXPIRED;
            case MTLS_NOT_ENFORCED -> MTLS_NOT_ENFORCED;
            case FOREIGN_CLIENT_CERT_ACCEPTED -> FOREIGN_CLIENT_CERTIFICATE_ACCEPTED;
            case PLAINTEXT_ACCEPTED, TLS_DISABLED -> PLAINTEXT_ACCEPTED;
            case SERVER_NOT_RELOADED -> SERVER_NOT_RELOADED;
            default -> talksToServer(finding.check()) ? HANDSHAKE_FAILED : CHECK_FAILED;
        };
    }

    private static boolean talksToServer(CheckId check) {
        return CheckDescription.of(check).dials() || CheckDescription.of(check).tls();
    }
}
