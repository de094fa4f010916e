package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Dials with a client certificate from a throwaway CA and expects the server to refuse it:
 * a server that accepts any issuer lets anyone with a self-made certificate read flows.
 */
public final class ClientCertVerifiedProbe {

    /** The subject CN of the foreign client certificate, for server logs. */
    public static final String FOREIGN_CLIENT_NAME = "hubble-tls-agent foreign client probe";

    private static final String FOREIGN_CA_NAME = "hubble-tls-agent throwaway CA";
    /** Backdated so that a server whose clock runs behind does not refuse it as too new. */
    private static final Duration BACKDATE = Duration.ofDays(1);
    /** Long enough that a long-running agent never presents an expired foreign certificate. */
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final TlsDialer dialer;
    private final Duration timeout;
    private final ClientIdentity foreignIdentity;

    /** A probe whose foreign certificate, minted now, is valid around {@code clock}'s time. */
    public ClientCertVerifiedProbe(TlsDialer dialer, Clock clock, Duration timeout) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.foreignIdentity = mintForeignIdentity(clock.instant().minus(BACKDATE));
    }

    /** The certificate this probe presents; no server should trust its issuer. */
    public ClientIdentity foreignIdentity() {
        return foreignIdentity;
    }

    /** Dials {@code target} with the foreign certificate and judges the server's reaction. */
    public Finding probe(ProbeTarget target) {
        HandshakeOutcome outcome = dialer.dial(target,
                DialSpec.presenting(foreignIdentity, timeout));
        ServerReaction reaction = ServerReaction.of(outcome);
        return new Finding(CheckId.CLIENT_CERT_VERIFIED, status(reaction), reason(reaction,
                outcome), message(target, reaction, outcome), OutcomeDetails.of(target, outcome));
    }

    private static Status status(ServerReaction reaction) {
        return switch (reaction) {
            case REFUSED -> Status.OK;
            case ACCEPTED -> Status.CRITICAL;
            case UNDETERMINED -> Status.ERROR;
        };
    }

    private static Reason reason(ServerReaction reaction, HandshakeOutcome outcome) {
        return switch (reaction) {
            case REFUSED -> Reason.OK;
            case ACCEPTED -> Reason.FOREIGN_CLIENT_CERT_ACCEPTED;
            case UNDETERMINED -> ConnectionTrouble.reason(outcome);
        };
    }

    private String message(ProbeTarget target, ServerReaction reaction,
                           HandshakeOutcome outcome) {
        String address = target.address();
        return switch (reaction) {
            case REFUSED -> "client certificates are verified: " + address + " refused a"
                    + " certificate from a throwaway CA ("
                    + ClientCertRequiredProbe.refusal(outcome) + ")";
            case ACCEPTED -> address + " " + ClientCertRequiredProbe.acceptance(outcome)
                    + " a client presenting a certificate from a throwaway CA it cannot know: "
                    + "the server accepts client certificates from any issuer, so anyone on"
                    + " the network can read flows. " + why(outcome);
            case UNDETERMINED -> "could not tell whether " + address + " verifies client"
                    + " certificates: " + ConnectionTrouble.explain(target, outcome,
                            OutcomeDetails.seconds(timeout));
        };
    }

    private static String why(HandshakeOutcome outcome) {
        if (!outcome.certificateRequested()) {
            return "The server did not even request a client certificate: set"
                    + " hubble-tls-client-ca-files in cilium-config to the client CA bundle.";
        }
        return "The server requested the certificate but did not verify its issuer; Cilium's"
                + " Hubble server verifies against hubble-tls-client-ca-files, so something"
                + " other than Hubble, or a proxy, terminates TLS here.";
    }

    private static ClientIdentity mintForeignIdentity(Instant from) {
        IssuedCertificate ca = CertificateMint.selfSigned(
                CertificateSpec.authority(FOREIGN_CA_NAME, from, VALIDITY)
                        .withKeyKind(KeyKind.EC_P256));
        CertificateSpec leaf = CertificateSpec.leaf(FOREIGN_CLIENT_NAME, from, VALIDITY)
                .withDnsNames(List.of())
                .withUsages(Set.of(CertificateSpec.Usage.CLIENT_AUTH))
                .withKeyKind(KeyKind.EC_P256);
        return ClientIdentity.of(CertificateMint.issue(leaf, ca));
    }
}
