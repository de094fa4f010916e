package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Dials, in a JVM of its own, JSSE servers whose chains exceed the JDK's default limits:
 * JSSE reads its limits once per JVM, so only a fresh JVM shows what the agent does when
 * it starts. Prints one line per server: status, reason and message of mtls-handshake.
 */
final class LongChainDial {

    /** Intermediate CAs under the root, two more than the JDK's default of 10 certificates. */
    static final int INTERMEDIATES = 12;
    /** DNS names that make the leaf larger than the JDK's default of 32 KiB per message. */
    static final int DNS_NAMES = 1000;

    private LongChainDial() {
    }

    public static void main(String[] args) throws Exception {
        // The agent creates its dialer before any TLS context, as CheckPass does.
        JsseTlsDialer dialer = new JsseTlsDialer(java.time.Clock.systemUTC());
        TestPki pki = new TestPki();
        MtlsHandshakeProbe probe = new MtlsHandshakeProbe(dialer, pki.clock,
                Duration.ofSeconds(10));
        for (IssuedCertificate server : List.of(deepChain(pki), largeLeaf(pki))) {
            try (JsseTestServer peer = JsseTestServer.start(server,
                    JsseTestServer.ClientAuth.NEED, JsseTestServer.trusting(pki.trust()))) {
                Finding finding = probe.probe(peer.target(pki.serverName()), pki.relay(),
                        pki.trust()).finding();
                System.out.println(finding.status() + " " + finding.reason() + " "
                        + finding.message());
            }
        }
    }

    private static IssuedCertificate deepChain(TestPki pki) {
        IssuedCertificate issuer = pki.cluster.ca();
        for (int i = 1; i <= INTERMEDIATES; i++) {
            issuer = CertificateMint.issue(CertificateSpec.authority("Intermediate " + i,
                    pki.now.minusSeconds(60), Duration.ofDays(30))
                    .withKeyKind(KeyKind.EC_P256), issuer);
        }
        return CertificateMint.issue(ClusterPki.serverSpec("default", pki.now.minusSeconds(60))
                .withKeyKind(KeyKind.EC_P256), issuer);
    }

    private static IssuedCertificate largeLeaf(TestPki pki) {
        CertificateSpec spec = ClusterPki.serverSpec("default", pki.now.minusSeconds(60));
        List<String> names = new ArrayList<>(spec.dnsNames());
        for (int i = 0; i < DNS_NAMES; i++) {
            names.add("node-" + i + ".default.hubble-grpc.cilium.io");
        }
        return pki.issue(spec.withDnsNames(names));
    }
}
