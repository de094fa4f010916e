package dev.hubbletls.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.TlsServerSetup.ClientAuthMode;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.HubbleApiProbe;
import dev.hubbletls.agent.probe.PlaintextProbe;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HubbleTlsServerTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final HubbleApiProbe apiProbe = new HubbleApiProbe(TIMEOUT);
    private HubbleTlsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyKind.class, names = {"RSA_2048", "EC_P256"})
    void requireClientCert_relayIdentity_apiAnswersWithEmbeddedVersion(KeyKind kind)
            throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0, CLOCK);

        Finding finding = callApi(pki, pki.relayClient());

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.details())
                .containsEntry("hubble-version", StatusService.VERSION)
                .containsEntry("uptime", "PT0S")
                .containsEntry("tls-protocol", "TLSv1.3")
                .containsEntry("alpn", "h2")
                .containsEntry("server-certificate-sha256",
                        CertificateFacts.fingerprint(pki.server().certificate()));
    }

    @ParameterizedTest
    @EnumSource(value = ClientAuthMode.class, names = {"OPTIONAL", "NONE"})
    void weakerClientAuth_stillServesApiToRelay(ClientAuthMode mode) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki).withClientAuth(mode), 0);

        assertThat(callApi(pki, pki.relayClient()).status()).isEqualTo(Status.OK);
    }

    @Test
    void requireClientCert_foreignClientCertificate_refusedInHandshake() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ClusterPki foreign = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0);

        Finding finding = callApi(pki, foreign.relayClient());

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(finding.message()).contains("TLS failed", "certificate_unknown",
                "mtls-handshake");
    }

    @Test
    void acceptAnyClientIssuer_foreignClientCertificate_getsTheApi() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ClusterPki foreign = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(
                TlsServerSetup.cilium(pki).withAcceptAnyClientIssuer(true), 0);

        assertThat(callApi(pki, foreign.relayClient()).status()).isEqualTo(Status.OK);
    }

    @Test
    void serveCertificate_nextHandshakePresentsTheNewCertificate() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0);
        IssuedCertificate renewed = CertificateMint.issue(
                ClusterPki.serverSpec("default", NOW.plusSeconds(60)), pki.ca());
        String before = presentedFingerprint(pki);

        server.serveCertificate(renewed);

        assertThat(before).isEqualTo(CertificateFacts.fingerprint(pki.server().certificate()));
        assertThat(presentedFingerprint(pki))
                .isEqualTo(CertificateFacts.fingerprint(renewed.certificate()));
        assertThat(server.setup().serverCertificate()).isEqualTo(renewed);
    }

    @Test
    void reconfigure_keepsThePortAndAppliesTheNewSetup() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ClusterPki foreign = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0);
        int port = server.port();
        assertThat(callApi(pki, foreign.relayClient()).reason()).isEqualTo(Reason.SKIPPED);

        server.reconfigure(TlsServerSetup.cilium(pki).withAcceptAnyClientIssuer(true));

        assertThat(server.port()).isEqualTo(port);
        assertThat(callApi(pki, foreign.relayClient()).status()).isEqualTo(Status.OK);
    }

    @Test
    void plaintextSetup_answersPlaintext_andTlsDialFailsInTls() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0);
        server.reconfigure(server.setup().withPlaintext(true));

        Finding plaintext = new PlaintextProbe(TIMEOUT).probe(target(pki));
        Finding api = callApi(pki, pki.relayClient());

        assertThat(plaintext.status()).isEqualTo(Status.CRITICAL);
        assertThat(plaintext.reason()).isEqualTo(Reason.PLAINTEXT_ACCEPTED);
        assertThat(plaintext.message()).contains("hubble-disable-tls", "anyone can read flows");
        assertThat(api.status()).isEqualTo(Status.ERROR);
        assertThat(api.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(api.message()).contains("not TLS", "plaintext-refused");
    }

    @Test
    void close_releasesThePort() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        server = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0);
        int port = server.port();

        server.close();

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private Finding callApi(ClusterPki pki, IssuedCertificate client) {
        return apiProbe.probe(target(pki), ClientIdentity.of(client),
                List.of(pki.ca().certificate()));
    }

    private String presentedFingerprint(ClusterPki pki) {
        return callApi(pki, pki.relayClient()).details().get("server-certificate-sha256");
    }

    private ProbeTarget target(ClusterPki pki) {
        return new ProbeTarget("127.0.0.1", server.port(), pki.serverName("kind-worker"));
    }
}
