package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import dev.hubbletls.agent.tls.ClientIdentity;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Dials the Hubble server exactly as Relay does (TLS 1.3, ALPN h2, the relay's client
 * certificate, trust in the relay's CA bundle) and names why Relay would fail, if it would.
 */
public final class MtlsHandshakeProbe {

    /** How long a dial may take unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final String TLS13 = "TLSv1.3";
    private static final String H2 = "h2";

    private final TlsDialer dialer;
    private final Clock clock;
    private final Duration timeout;

    /** A probe dialing through {@code dialer}, judging the client certificate by {@code clock}. */
    public MtlsHandshakeProbe(TlsDialer dialer, Clock clock, Duration timeout) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Dials {@code target} with the relay's {@code identity}, trusting only {@code trust}. */
    public MtlsHandshakeResult probe(ProbeTarget target, ClientIdentity identity,
                                     List<X509Certificate> trust) {
        HandshakeOutcome outcome = dialer.dial(target, DialSpec.asRelay(identity, trust, timeout));
        return new MtlsHandshakeResult(judge(target, identity, outcome), outcome);
    }

    private Finding judge(ProbeTarget target, ClientIdentity identity, HandshakeOutcome outcome) {
        if (outcome.connectionLevel() || outcome.failure() == Failure.NOT_TLS) {
            return critical(target, outcome, ConnectionTrouble.reason(outcome),
                    ConnectionTrouble.explain(target, outcome, OutcomeDetails.seconds(timeout)));
        }
        if (!outcome.protocol().isEmpty() && !TLS13.equals(outcome.protocol())) {
            return critical(target, outcome, Reason.PROTOCOL_MISMATCH, target.address()
                    + " negotiated " + outcome.protocol() + "; Relay requires TLS 1.3. Cilium's"
                    + " Hubble server speaks only TLS 1.3, so something else answers on this"
                    + " port, or a TLS-terminating proxy sits in between.");
        }
        if (outcome.serverCertificateRejected()) {
            return serverCertificateRejected(target, outcome);
        }
        if (!outcome.established()) {
            return handshakeFailed(target, identity, outcome);
        }
        if (!H2.equals(outcome.alpn())) {
            return critical(target, outcome, Reason.PROTOCOL_MISMATCH, target.address()
                    + " completed TLS without negotiating ALPN h2; gRPC clients refuse servers"
                    + " without ALPN h2, so Relay fails here with 'context deadline exceeded'."
                    + " Check for a proxy in between or a server other than Hubble on the port.");
        }
        return afterHandshake(target, identity, outcome);
    }

    private Finding afterHandshake(ProbeTarget target, ClientIdentity identity,
                                   HandshakeOutcome outcome) {
        return switch (outcome.postHandshake()) {
            case ALERT -> clientCertificateRejected(target, identity, outcome);
            case CLOSED -> outcome.certificateRequested()
                    ? closedAfterCertificate(target, outcome)
                    : critical(target, outcome, Reason.HANDSHAKE_FAILED, target.address()
                            + " closed the connection right after the TLS handshake, without"
                            + " an alert and without asking for a client certificate.");
            case ERROR -> critical(target, outcome, Reason.HANDSHAKE_FAILED, "reading from "
                    + target.address() + " after the TLS handshake failed: "
                    + outcome.error().orElse("no detail"));
            case TOO_SLOW -> new Finding(CheckId.MTLS_HANDSHAKE, Status.ERROR, Reason.TIMEOUT,
                    ConnectionTrouble.explain(target, outcome, OutcomeDetails.seconds(timeout)),
                    OutcomeDetails.of(target, outcome));
            case ANSWERED, SILENT, NOT_REACHED -> healthy(target, outcome);
        };
    }

    // Go's server refuses a client certificate with an alert; a bare close after it was
    // presented says Relay will fail here, but not that the certificate was the reason.
    private Finding closedAfterCertificate(ProbeTarget target, HandshakeOutcome outcome) {
        return critical(target, outcome, Reason.HANDSHAKE_FAILED, target.address()
                + " closed the connection right after the TLS handshake, without an alert,"
                + " after the relay's client certificate was presented: Relay fails here too."
                + " A Hubble server refusing the certificate would have sent an alert, so this"
                + " is more likely a server other than Hubble, or a proxy, on the port.");
    }

    private Finding healthy(ProbeTarget target, HandshakeOutcome outcome) {
        String message = "mutual TLS with " + target.serverName() + " at " + target.address()
                + " works as Relay needs it: " + outcome.protocol() + ", "
                + outcome.cipherSuite() + ", ALPN " + outcome.alpn() + ", handshake in "
                + outcome.handshakeDuration().toMillis() + " ms";
        if (!outcome.certificateRequested()) {
            message += "; the server did not ask for the relay's client certificate, see "
                    + CheckId.CLIENT_CERT_REQUIRED.id();
        }
        if (outcome.postHandshake() == HandshakeOutcome.PostHandshake.SILENT) {
            message += "; the server sent nothing back within " + OutcomeDetails.seconds(timeout)
                    + " after the HTTP/2 preface (the hubble-api check shows whether gRPC"
                    + " answers)";
        }
        return new Finding(CheckId.MTLS_HANDSHAKE, Status.OK, Reason.OK, message,
                OutcomeDetails.of(target, outcome));
    }

    private Finding serverCertificateRejected(ProbeTarget target, HandshakeOutcome outcome) {
        String problem = outcome.error().orElse("the server certificate failed verification");
        return switch (outcome.failure()) {
            case UNKNOWN_AUTHORITY -> critical(target, outcome, Reason.UNKNOWN_AUTHORITY,
                    problem + ". Relay refuses this node: put the CA that signed the server"
                            + " certificate (secret hubble-server-certs) into the relay's"
                            + " hubble-server-ca.crt, or reissue the server certificate from the"
                            + " relay's CA.");
            case SERVER_NAME_MISMATCH -> critical(target, outcome, Reason.SERVER_NAME_MISMATCH,
                    problem + ". Reissue the server certificate for the cluster named in the"
                            + " server name, as a DNS SAN, or make cluster-name in cilium-config"
                            + " match the certificate.");
            case SERVER_CERT_EXPIRED -> critical(target, outcome, Reason.CERT_EXPIRED,
                    problem + ". Renew the server certificate (secret hubble-server-certs);"
                            + " Helm-issued certificates renew only when the chart is rendered"
                            + " again.");
            case SERVER_CA_EXPIRED -> critical(target, outcome, Reason.CA_EXPIRED,
                    problem + ". The CA, not the leaf, is the problem: renew the CA and reissue"
                            + " the certificates it signed.");
            case SERVER_CERT_NOT_YET_VALID -> critical(target, outcome,
                    Reason.CERT_NOT_YET_VALID, problem + ". Check this node's clock (NTP) and"
                            + " the issuer's.");
            case WEAK_SIGNATURE -> critical(target, outcome, Reason.WEAK_SIGNATURE,
                    problem + ". JSSE would accept it, Relay does not: re-issue the certificate"
                            + " signed with SHA-256 (secret hubble-server-certs, or the CA).");
            case UNSUPPORTED_KEY -> critical(target, outcome, Reason.UNSUPPORTED_KEY,
                    problem + ". JSSE completes the handshake, Relay does not: re-issue"
                            + " hubble-server-certs with an RSA or ECDSA P-256 key.");
            default -> critical(target, outcome, Reason.SERVER_AUTH_USAGE_MISSING,
                    problem + ". Reissue the server certificate with the serverAuth usage.");
        };
    }

    private Finding handshakeFailed(ProbeTarget target, ClientIdentity identity,
                                    HandshakeOutcome outcome) {
        String alert = outcome.alert().orElse("");
        if (alert.equals("protocol_version")) {
            return critical(target, outcome, Reason.PROTOCOL_MISMATCH, target.address()
                    + " refused TLS 1.3 and 1.2 with alert " + TlsAlerts.describe(alert)
                    + "; Relay requires TLS 1.3.");
        }
        if (alert.equals("no_application_protocol")) {
            return critical(target, outcome, Reason.PROTOCOL_MISMATCH, target.address()
                    + " refused ALPN h2 with alert " + TlsAlerts.describe(alert)
                    + "; gRPC clients such as Relay need h2.");
        }
        boolean refusal = TlsAlerts.refusesCertificate(alert)
                || outcome.failure() == Failure.PEER_CLOSED;
        if (outcome.certificateRequested() && refusal) {
            // A TLS 1.2 server refuses inside the handshake; a TLS 1.3 server that hangs up
            // while our certificate flight is still being written leaves us a broken pipe.
            return clientCertificateRejected(target, identity, outcome);
        }
        String how = switch (outcome.failure()) {
            case PEER_CLOSED -> "the server closed the connection without an alert";
            case PEER_ALERT -> "the server sent " + OutcomeDetails.alertText(outcome);
            default -> outcome.error().orElse("no detail");
        };
        return critical(target, outcome, Reason.HANDSHAKE_FAILED, "the TLS handshake with "
                + target.address() + " failed: " + how + ".");
    }

    private Finding clientCertificateRejected(ProbeTarget target, ClientIdentity identity,
                                              HandshakeOutcome outcome) {
        String how = outcome.alert().isPresent()
                ? "with " + OutcomeDetails.alertText(outcome)
                : "by closing the connection without an alert";
        String when = outcome.established() ? " after the handshake" : " during the handshake";
        return critical(target, outcome, Reason.CLIENT_CERT_REJECTED, target.address()
                + " refused the relay client certificate '"
                + identity.certificate().getSubjectX500Principal().getName() + "' " + how + when
                + ". Likely cause: " + String.join("; ", likelyCauses(identity, outcome))
                + ". Relay fails against this node with 'context deadline exceeded' until the"
                + " relay client certificate (secret hubble-relay-client-certs) is valid,"
                + " carries clientAuth and is issued by a CA in the server's client-ca.crt.");
    }

    private List<String> likelyCauses(ClientIdentity identity, HandshakeOutcome outcome) {
        X509Certificate certificate = identity.certificate();
        CertificateFacts facts = CertificateFacts.of(certificate, CertificateRole.CLIENT,
                "relay client certificate");
        Instant now = clock.instant();
        List<String> causes = new ArrayList<>();
        if (now.isAfter(facts.notAfter())) {
            causes.add("it expired at " + facts.notAfter() + " (this node's clock: " + now + ")");
        }
        if (now.isBefore(facts.notBefore())) {
            causes.add("it is not valid before " + facts.notBefore() + " (this node's clock: "
                    + now + ")");
        }
        if (!facts.extendedKeyUsages().isEmpty() && !facts.hasUsage("clientAuth")) {
            causes.add("it lacks the clientAuth extended key usage (it has "
                    + facts.extendedKeyUsages() + ")");
        }
        if (!outcome.acceptedIssuers().isEmpty()
                && !outcome.acceptedIssuers().contains(facts.issuer())) {
            causes.add("its issuer " + facts.issuer() + " is not among the CAs the server"
                    + " accepts (" + String.join("; ", outcome.acceptedIssuers()) + ")");
        }
        if (causes.isEmpty()) {
            causes.add(causeByAlert(outcome.alert().orElse("")));
        }
        return causes;
    }

    private static String causeByAlert(String alert) {
        return switch (alert) {
            case "certificate_expired" -> "the server finds it expired or not yet valid by"
                    + " its own clock; compare the server node's clock with the validity";
            case "unknown_ca" -> "it is issued by a CA the server does not trust; the server's"
                    + " client-ca.crt (hubble-tls-client-ca-files) must hold its issuer";
            case "certificate_required" -> "the server received no client certificate; the key"
                    + " type may not be one the server accepts";
            case "decrypt_error" -> "its signature does not verify"
                    + " against the CA the server trusts under that name: the relay's CA and the"
                    + " server's client CA are different CAs with the same name (one side"
                    + " regenerated it); compare the CA fingerprints on both sides";
            default -> "the server found it unacceptable: usually it has expired, lacks the"
                    + " clientAuth usage, or comes from a CA the server does not trust";
        };
    }

    private static Finding critical(ProbeTarget target, HandshakeOutcome outcome, Reason reason,
                                    String message) {
        return new Finding(CheckId.MTLS_HANDSHAKE, Status.CRITICAL, reason, message,
                OutcomeDetails.of(target, outcome));
    }
}
