package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --server} end to end against {@code openssl s_server}, an independent TLS
 * peer that is not Hubble, set up as Hubble would be and then with client authentication
 * weakened or TLS 1.3 switched off. Every TLS check's verdict is asserted in each setup.
 */
class CheckAgainstOpensslServerTest {

    private static final TestPki PKI = new TestPki();

    @TempDir
    static Path dir;
    private static Path relayDir;
    private static String relayKeyPem;

    private final List<OpensslServer> servers = new ArrayList<>();

    @BeforeAll
    static void publishRelayVolume() throws Exception {
        ProjectedVolume volume = new ProjectedVolume(dir.resolve("relay-tls"), PKI.clock);
        volume.publish(PKI.cluster.relayClientFiles());
        relayDir = volume.directory();
        relayKeyPem = Files.readString(relayDir.resolve(ClusterPki.CLIENT_KEY));
    }

    @AfterEach
    void stopServers() throws Exception {
        for (OpensslServer server : servers) {
            server.close();
        }
    }

    @Test
    void clientCertificateRequired_everyTlsCheckOk_butNoHubbleApi_exit2() throws Exception {
        CommandRun run = checkAgainst(tls13H2("-Verify", "1", "-verify_return_error"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertOk(run, "client-certificate", "ca-certificate", "mtls-handshake",
                "server-certificate", "client-cert-required", "client-cert-verified",
                "plaintext-refused");
        assertNoHubbleApi(run);
        assertThat(run.check("client-cert-required").get("message").asText())
                .contains("certificate_required (116)");
        assertThat(run.check("client-cert-verified").get("message").asText())
                .contains("unknown_ca (48)");
        assertThat(run.checkIds()).doesNotContain("hubble-discovery");
        assertPresentedChain(run);
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void clientCertificateOptional_mtlsNotEnforced() throws Exception {
        CommandRun run = checkAgainst(tls13H2("-verify", "1", "-verify_return_error"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertCritical(run, "client-cert-required", Reason.MTLS_NOT_ENFORCED,
                "requested a client certificate but did not require one");
        assertOk(run, "client-certificate", "ca-certificate", "mtls-handshake",
                "server-certificate", "client-cert-verified", "plaintext-refused");
        assertNoHubbleApi(run);
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void clientCertificateNotRequested_mtlsNotEnforced_foreignCertificateAccepted()
            throws Exception {
        CommandRun run = checkAgainst(tls13H2());

        assertThat(run.exitCode()).isEqualTo(2);
        assertCritical(run, "client-cert-required", Reason.MTLS_NOT_ENFORCED,
                "did not request a client certificate at all");
        assertCritical(run, "client-cert-verified", Reason.FOREIGN_CLIENT_CERT_ACCEPTED,
                "did not even request a client certificate");
        assertOk(run, "client-certificate", "ca-certificate", "mtls-handshake",
                "server-certificate", "plaintext-refused");
        assertNoHubbleApi(run);
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void tls12Only_protocolMismatch_whileClientAuthStillEnforced() throws Exception {
        CommandRun run = checkAgainst("-tls1_2", "-alpn", "h2", "-Verify", "1",
                "-verify_return_error");

        assertThat(run.exitCode()).isEqualTo(2);
        assertCritical(run, "mtls-handshake", Reason.PROTOCOL_MISMATCH, "TLSv1.2",
                "Relay requires TLS 1.3");
        JsonNode api = run.check("hubble-api");
        assertThat(api.get("status").asText()).isEqualTo("error");
        assertThat(api.get("reason").asText()).isEqualTo(Reason.SKIPPED.name());
        assertThat(api.get("message").asText()).contains("protocol_version",
                "see mtls-handshake");
        assertOk(run, "client-certificate", "ca-certificate", "server-certificate",
                "client-cert-required", "client-cert-verified", "plaintext-refused");
        assertThat(run.check("client-cert-required").get("message").asText())
                .contains("during the handshake");
        assertPresentedChain(run);
        run.assertRevealsNoKey(relayKeyPem);
    }

    private static void assertOk(CommandRun run, String... checks) {
        for (String id : checks) {
            JsonNode finding = run.check(id);
            assertThat(finding.get("status").asText()).as(id + ": " + finding)
                    .isEqualTo("ok");
            assertThat(finding.get("reason").asText()).as(id).isEqualTo(Reason.OK.name());
        }
    }

    private static void assertCritical(CommandRun run, String check, Reason reason,
                                       String... messageParts) {
        JsonNode finding = run.check(check);
        assertThat(finding.get("status").asText()).as(check).isEqualTo("critical");
        assertThat(finding.get("reason").asText()).as(check).isEqualTo(reason.name());
        assertThat(finding.get("message").asText()).as(check).contains(messageParts);
    }

    // s_server answers (-rev) the HTTP/2 preface with bytes that are not HTTP/2: a TLS peer
    // that is no gRPC server, which is exactly what hubble-api must name.
    private static void assertNoHubbleApi(CommandRun run) {
        assertCritical(run, "hubble-api", Reason.NOT_HUBBLE_API, "not HTTP/2");
    }

    private static void assertPresentedChain(CommandRun run) {
        JsonNode certificates = run.report().get("certificates");
        assertThat(CommandRun.texts(certificates, "role"))
                .containsExactly("client", "ca", "server", "server-chain");
        assertThat(certificates.get(2).get("sha256").asText())
                .isEqualTo(CertificateFacts.fingerprint(PKI.cluster.server().certificate()));
        assertThat(certificates.get(2).get("daysLeft").asLong()).isEqualTo(364);
    }

    /** Hubble's protocol settings, TLS 1.3 with ALPN h2, plus {@code clientAuth}. */
    private static String[] tls13H2(String... clientAuth) {
        List<String> all = new ArrayList<>(List.of("-tls1_3", "-alpn", "h2"));
        all.addAll(List.of(clientAuth));
        return all.toArray(String[]::new);
    }

    /** Starts s_server with {@code options} and checks it as a user would, by address. */
    private CommandRun checkAgainst(String... options) throws Exception {
        OpensslServer server = OpensslServer.start(Files.createTempDirectory(dir, "s_server"),
                PKI.cluster.server(), PKI.trust(), options);
        servers.add(server);
        return CommandRun.checkJson("--server", "127.0.0.1:" + server.port(),
                "--server-name", PKI.serverName(), "--tls-dir", relayDir.toString(),
                "--timeout", "2s");
    }
}
