package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertVerifiedProbeTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final ClientCertVerifiedProbe probe = new ClientCertVerifiedProbe(
            new JsseTlsDialer(pki.clock), pki.clock, TestPki.TIMEOUT);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void foreignIdentity_isAnEcClientCertificateValidAroundTheClock() {
        CertificateFacts facts = CertificateFacts.of(probe.foreignIdentity().certificate(),
                CertificateRole.CLIENT, "minted");

        assertThat(facts.subject()).isEqualTo("CN=" + ClientCertVerifiedProbe.FOREIGN_CLIENT_NAME);
        assertThat(facts.extendedKeyUsages()).containsExactly("clientAuth");
        assertThat(facts.key()).isEqualTo("EC P-256");
        assertThat(facts.notBefore()).isBefore(pki.now);
        assertThat(facts.notAfter()).isAfter(pki.now.plusSeconds(86_400 * 365L));
    }

    @Test
    void foreignCertificate_serverVerifyingAgainstItsCa_isRefused() throws Exception {
        OpensslServer server = openssl("-tls1_3", "-alpn", "h2", "-Verify", "1",
                "-verify_return_error");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.check()).isEqualTo(CheckId.CLIENT_CERT_VERIFIED);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("unknown_ca (48)", "after the handshake");
    }

    @Test
    void foreignCertificate_jsseServerWithPkixTrust_isRefused() throws Exception {
        JsseTestServer server = jsse(JsseTestServer.trusting(pki.trust()));

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).as(finding.message()).isEqualTo(Status.OK);
    }

    @Test
    void foreignCertificate_serverAcceptingAnyIssuer_isForeignClientCertAccepted()
            throws Exception {
        JsseTestServer server = jsse(JsseTestServer.trustingAnyone());

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.FOREIGN_CLIENT_CERT_ACCEPTED);
        assertThat(finding.message()).contains("accepts client certificates from any issuer",
                "requested the certificate but did not verify its issuer");
    }

    @Test
    void foreignCertificate_opensslRequiringButNotFailingVerification_isAccepted()
            throws Exception {
        OpensslServer server = openssl("-tls1_3", "-alpn", "h2", "-Verify", "1");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.reason()).isEqualTo(Reason.FOREIGN_CLIENT_CERT_ACCEPTED);
        assertThat(server.log())
                .contains("Verification error: self-signed certificate in certificate chain");
    }

    @Test
    void foreignCertificate_serverNotRequestingCertificates_isAcceptedAndSaysSo()
            throws Exception {
        OpensslServer server = openssl("-tls1_3", "-alpn", "h2");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.FOREIGN_CLIENT_CERT_ACCEPTED);
        assertThat(finding.message()).contains("did not even request a client certificate");
    }

    @Test
    void serverResettingEveryConnection_cannotTell_butIsNotCalledUnreachable()
            throws Exception {
        RawServer server = new RawServer(RawServer.Behaviour.RESET);
        servers.add(server);

        for (int dial = 0; dial < 5; dial++) {
            Finding finding = probe.probe(server.target(pki.serverName()));

            assertThat(finding.status()).isEqualTo(Status.ERROR);
            assertThat(finding.reason()).isNotEqualTo(Reason.HOST_UNREACHABLE);
            assertThat(finding.message()).doesNotContain("check DNS");
        }
    }

    @Test
    void silentPort_cannotTell_isErrorTimeout() throws Exception {
        RawServer server = new RawServer(RawServer.Behaviour.SILENT);
        servers.add(server);

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
    }

    private OpensslServer openssl(String... options) throws Exception {
        OpensslServer started = OpensslServer.start(Files.createTempDirectory(dir, "s_server"),
                pki.cluster.server(), pki.trust(), options);
        servers.add(started);
        return started;
    }

    private JsseTestServer jsse(javax.net.ssl.X509TrustManager trust) throws Exception {
        JsseTestServer started = JsseTestServer.start(pki.cluster.server(),
                JsseTestServer.ClientAuth.NEED, trust);
        servers.add(started);
        return started;
    }
}
