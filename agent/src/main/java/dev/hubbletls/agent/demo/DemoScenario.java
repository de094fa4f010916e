package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.demo.TlsServerSetup.ClientAuthMode;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.IssuedCertificate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One step of the demo: a state of the embedded node, and the verdict the agent must reach
 * about it.
 *
 * @param title    what is wrong with the node, or that nothing is
 * @param check    the check that must notice it
 * @param expected the reason that check must give
 * @param fault    switches the node into this state, from a healthy one
 */
public record DemoScenario(String title, CheckId check, Reason expected, Fault fault) {

    /** Puts the embedded node into a state. */
    @FunctionalInterface
    public interface Fault {
        void apply(EmbeddedHubble node, Clock clock) throws IOException;
    }

    /** The demo's steps: healthy first, then one fault at a time. */
    public static List<DemoScenario> all() {
        return List.of(
                new DemoScenario("healthy node: client certificates required, certificates"
                        + " fresh", CheckId.MTLS_HANDSHAKE, Reason.OK, (node, clock) -> { }),
                new DemoScenario("client authentication made optional (server requests a"
                        + " certificate but does not require one)", CheckId.CLIENT_CERT_REQUIRED,
                        Reason.MTLS_NOT_ENFORCED, (node, clock) -> node.reconfigure(
                                node.setup().withClientAuth(ClientAuthMode.OPTIONAL))),
                new DemoScenario("server accepts client certificates from any issuer",
                        CheckId.CLIENT_CERT_VERIFIED, Reason.FOREIGN_CLIENT_CERT_ACCEPTED,
                        (node, clock) -> node.reconfigure(
                                node.setup().withAcceptAnyClientIssuer(true))),
                new DemoScenario("server certificate five days from expiry",
                        CheckId.SERVER_CERTIFICATE, Reason.CERT_EXPIRING,
                        (node, clock) -> node.serveCertificate(nearExpiry(node, clock))),
                new DemoScenario("server certificate made for cluster 'prod', node is in"
                        + " 'default'", CheckId.SERVER_CERTIFICATE, Reason.SERVER_NAME_MISMATCH,
                        (node, clock) -> node.serveCertificate(otherCluster(node, clock))),
                new DemoScenario("TLS switched off on the server (hubble-disable-tls: true)",
                        CheckId.PLAINTEXT_REFUSED, Reason.PLAINTEXT_ACCEPTED,
                        (node, clock) -> node.reconfigure(node.setup().withPlaintext(true))));
    }

    private static IssuedCertificate nearExpiry(EmbeddedHubble node, Clock clock) {
        Instant now = clock.instant();
        CertificateSpec spec = ClusterPki.serverSpec(node.pki().clusterName(), now)
                .withValidity(now.minus(Duration.ofDays(360)),
                        now.plus(Duration.ofDays(5)).plus(Duration.ofHours(1)));
        return CertificateMint.issue(spec, node.pki().ca());
    }

    private static IssuedCertificate otherCluster(EmbeddedHubble node, Clock clock) {
        return CertificateMint.issue(ClusterPki.serverSpec("prod", clock.instant()),
                node.pki().ca());
    }
}
