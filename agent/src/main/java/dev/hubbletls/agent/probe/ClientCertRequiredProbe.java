package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Duration;
import java.util.Objects;

/**
 * Dials without a client certificate and expects the server to refuse: a Hubble server that
 * lets such a client in serves every flow of the node to anyone on the network.
 */
public final class ClientCertRequiredProbe {

    private final TlsDialer dialer;
    private final Duration timeout;

    /** A probe dialing through {@code dialer} with {@code timeout} per dial. */
    public ClientCertRequiredProbe(TlsDialer dialer, Duration timeout) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Dials {@code target} without a certificate and judges the server's reaction. */
    public Finding probe(ProbeTarget target) {
        HandshakeOutcome outcome = dialer.dial(target, DialSpec.anonymous(timeout));
        return new Finding(CheckId.CLIENT_CERT_REQUIRED, status(outcome), reason(outcome),
                message(target, outcome), OutcomeDetails.of(target, outcome));
    }

    private static Status status(HandshakeOutcome outcome) {
        return switch (ServerReaction.of(outcome)) {
            case REFUSED -> Status.OK;
            case ACCEPTED -> Status.CRITICAL;
            case UNDETERMINED -> Status.ERROR;
        };
    }

    private static Reason reason(HandshakeOutcome outcome) {
        return switch (ServerReaction.of(outcome)) {
            case REFUSED -> Reason.OK;
            case ACCEPTED -> Reason.MTLS_NOT_ENFORCED;
            case UNDETERMINED -> ConnectionTrouble.reason(outcome);
        };
    }

    private String message(ProbeTarget target, HandshakeOutcome outcome) {
        String address = target.address();
        return switch (ServerReaction.of(outcome)) {
            case REFUSED -> "mutual TLS is enforced: " + address + " refused a client without a"
                    + " certificate (" + refusal(outcome) + "; "
                    + OutcomeDetails.requestText(outcome) + ")";
            case ACCEPTED -> address + " " + acceptance(outcome) + " a client without a"
                    + " certificate: anyone on the network can read flows. " + why(outcome);
            case UNDETERMINED -> "could not tell whether " + address + " requires a client"
                    + " certificate: " + ConnectionTrouble.explain(target, outcome,
                            OutcomeDetails.seconds(timeout));
        };
    }

    /** How the refusal showed, for the OK message. */
    static String refusal(HandshakeOutcome outcome) {
        String when = outcome.established() ? "after the handshake" : "during the handshake";
        return outcome.alert().isPresent()
                ? OutcomeDetails.alertText(outcome) + " " + when
                : "connection closed " + when + " without an alert";
    }

    /** How the acceptance showed: an answer, or a session held open in silence. */
    static String acceptance(HandshakeOutcome outcome) {
        return outcome.postHandshake() == HandshakeOutcome.PostHandshake.ANSWERED
                ? "completed a TLS session with, and answered,"
                : "completed a TLS session with, and kept open,";
    }

    private static String why(HandshakeOutcome outcome) {
        if (!outcome.certificateRequested()) {
            return "The server did not request a client certificate at all: set"
                    + " hubble-tls-client-ca-files in cilium-config to the client CA bundle"
                    + " (/var/lib/cilium/tls/hubble/client-ca.crt) so that Hubble requires and"
                    + " verifies client certificates.";
        }
        return "The server requested a client certificate but did not require one; Cilium's"
                + " Hubble server requires and verifies one whenever hubble-tls-client-ca-files"
                + " is set, so something other than Hubble, or a proxy, terminates TLS here.";
    }
}
