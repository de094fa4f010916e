package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertRequiredProbeTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final ClientCertRequiredProbe probe = new ClientCertRequiredProbe(
            new JsseTlsDialer(pki.clock), TestPki.TIMEOUT);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void noClientCertificate_tls13ServerRejectsOnFirstRead_isEnforced() throws Exception {
        OpensslServer server = openssl("-tls1_3", "-alpn", "h2", "-Verify", "1");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.check()).isEqualTo(CheckId.CLIENT_CERT_REQUIRED);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("enforced", "certificate_required (116)",
                "after the handshake", "requested a client certificate issued by CN=Cilium CA");
        assertThat(server.log()).contains("peer did not return a certificate");
    }

    @Test
    void noClientCertificate_tls12ServerRejectsDuringHandshake_isEnforced() throws Exception {
        OpensslServer server = openssl("-tls1_2", "-alpn", "h2", "-Verify", "1");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("handshake_failure (40)", "during the handshake");
    }

    @Test
    void noClientCertificate_jsseServerNeedingClientAuth_isEnforced() throws Exception {
        JsseTestServer server = jsse(JsseTestServer.ClientAuth.NEED);

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("certificate_required (116)");
    }

    @Test
    void optionalClientCertificate_isNotEnforced_requestedButNotRequired() throws Exception {
        OpensslServer server = openssl("-tls1_3", "-alpn", "h2", "-verify", "1");

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.MTLS_NOT_ENFORCED);
        assertThat(finding.message()).contains("anyone on the network can read flows",
                "requested a client certificate but did not require one");
    }

    @Test
    void optionalClientCertificate_serverSilentAfterHandshake_isNotEnforced() throws Exception {
        OpensslServer server = OpensslServer.startQuiet(Files.createTempDirectory(dir, "q"),
                pki.cluster.server(), pki.trust(), "-tls1_3", "-alpn", "h2", "-verify", "1");
        servers.add(server);

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.reason()).isEqualTo(Reason.MTLS_NOT_ENFORCED);
        assertThat(finding.message()).contains("kept open");
        assertThat(finding.details()).containsEntry("postHandshake", "SILENT");
    }

    @Test
    void clientCertificateNotRequested_isNotEnforced_notRequestedAtAll() throws Exception {
        JsseTestServer server = jsse(JsseTestServer.ClientAuth.NONE);

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.MTLS_NOT_ENFORCED);
        assertThat(finding.message()).contains("did not request a client certificate at all",
                "hubble-tls-client-ca-files");
    }

    @Test
    void nothingListening_cannotTell_isErrorConnectionRefused() throws Exception {
        ProbeTarget closed = new ProbeTarget("127.0.0.1", MtlsHandshakeProbeTest.closedPort(),
                pki.serverName());

        Finding finding = probe.probe(closed);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(finding.message()).startsWith("could not tell");
    }

    @Test
    void serverThatHangsUpAtOnce_cannotTell_isErrorHandshakeFailed() throws Exception {
        RawServer server = new RawServer(RawServer.Behaviour.CLOSE);
        servers.add(server);

        Finding finding = probe.probe(server.target(pki.serverName()));

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.HANDSHAKE_FAILED);
    }

    private OpensslServer openssl(String... options) throws Exception {
        OpensslServer started = OpensslServer.start(Files.createTempDirectory(dir, "s_server"),
                pki.cluster.server(), pki.trust(), options);
        servers.add(started);
        return started;
    }

    private JsseTestServer jsse(JsseTestServer.ClientAuth auth) throws Exception {
        JsseTestServer started = JsseTestServer.start(pki.cluster.server(), auth,
                JsseTestServer.trusting(pki.trust()));
        servers.add(started);
        return started;
    }
}
