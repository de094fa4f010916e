package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.DemoScenario;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} end to end against an embedded Hubble node: discovery through its unix
 * socket, the relay's projected volume, and its TLS endpoint, healthy and broken.
 */
class CheckAgainstEmbeddedHubbleTest {

    private static final List<String> NETWORK_CHECKS = List.of("mtls-handshake",
            "server-certificate", "hubble-api", "client-cert-required", "client-cert-verified",
            "plaintext-refused");

    private static EmbeddedHubble node;
    private static String relayKeyPem;

    @BeforeAll
    static void startNode() throws Exception {
        node = EmbeddedHubble.start(Clock.systemUTC(), KeyKind.RSA_2048);
        relayKeyPem = Files.readString(node.relayFiles().key());
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    @BeforeEach
    void healthyNode() throws Exception {
        node.restoreHealthy();
        node.relayVolume().publish(node.pki().relayClientFiles());
    }

    @Test
    void healthyNode_everyCheckOk_exit0_reportListsEveryCertificate() {
        CommandRun run = check(node.socketPath().toString(), EmbeddedHubble.NODE);

        assertThat(run.exitCode()).isZero();
        JsonNode report = run.report();
        assertThat(report.get("status").asText()).isEqualTo("ok");
        assertThat(report.get("node").asText()).isEqualTo(EmbeddedHubble.NODE);
        assertThat(report.get("target").get("address").asText())
                .isEqualTo("127.0.0.1:" + node.port());
        assertThat(report.get("target").get("serverName").asText())
                .isEqualTo("demo-node.default.hubble-grpc.cilium.io");
        assertThat(run.checkIds()).containsExactly("hubble-discovery", "client-certificate",
                "ca-certificate", "mtls-handshake", "server-certificate", "hubble-api",
                "client-cert-required", "client-cert-verified", "plaintext-refused");
        assertThat(CommandRun.texts(report.get("checks"), "status")).containsOnly("ok");
        assertThat(CommandRun.texts(report.get("checks"), "reason")).containsOnly("OK");
        assertCertificates(report.get("certificates"));
        run.assertRevealsNoKey(relayKeyPem);
    }

    private static void assertCertificates(JsonNode certificates) {
        ClusterPki pki = node.pki();
        assertThat(CommandRun.texts(certificates, "role"))
                .containsExactly("client", "ca", "server", "server-chain");
        assertThat(CommandRun.texts(certificates, "sha256")).containsExactly(
                CertificateFacts.fingerprint(pki.relayClient().certificate()),
                CertificateFacts.fingerprint(pki.ca().certificate()),
                CertificateFacts.fingerprint(pki.server().certificate()),
                CertificateFacts.fingerprint(pki.ca().certificate()));
        assertThat(CommandRun.texts(certificates, "daysLeft"))
                .containsExactly("364", "1094", "364", "1094");
        assertThat(certificates.get(0).get("source").asText())
                .isEqualTo(node.relayFiles().certificate().toString());
        assertThat(certificates.get(2).get("source").asText())
                .isEqualTo("127.0.0.1:" + node.port());
    }

    static Stream<Named<DemoScenario>> faults() {
        return DemoScenario.all().stream()
                .filter(scenario -> scenario.expected() != Reason.OK)
                .map(scenario -> Named.of(scenario.title(), scenario));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void demoFault_critical_exit2_namedByTheExpectedCheckAndReason(DemoScenario fault)
            throws Exception {
        fault.fault().apply(node, Clock.systemUTC());

        CommandRun run = check(node.socketPath().toString(), EmbeddedHubble.NODE);

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode finding = run.check(fault.check().id());
        assertThat(finding.get("status").asText()).isEqualTo("critical");
        assertThat(finding.get("reason").asText()).isEqualTo(fault.expected().name());
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void serverCertificate20DaysFromExpiry_warns_exit1() {
        IssuedCertificate expiring = expiringServerCertificate(Duration.ofDays(20));
        node.serveCertificate(expiring);

        CommandRun run = check(node.socketPath().toString(), EmbeddedHubble.NODE);

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode server = run.check("server-certificate");
        assertThat(server.get("status").asText()).isEqualTo("warn");
        assertThat(server.get("reason").asText()).isEqualTo(Reason.CERT_EXPIRING.name());
        assertThat(server.get("message").asText())
                .contains("19 days left", "warning at 30 days", "hubble-server-certs");
        assertThat(CommandRun.texts(run.report().get("checks"), "status"))
                .containsOnly("ok", "warn")
                .containsOnlyOnce("warn");
        JsonNode presented = run.report().get("certificates").get(2);
        assertThat(presented.get("role").asText()).isEqualTo("server");
        assertThat(presented.get("sha256").asText())
                .isEqualTo(CertificateFacts.fingerprint(expiring.certificate()));
        assertThat(presented.get("daysLeft").asLong()).isEqualTo(19);
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void nodeNotListed_nodeNotFound_networkChecksSkipped() {
        CommandRun run = check(node.socketPath().toString(), "kind-worker-7");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode discovery = run.check("hubble-discovery");
        assertThat(discovery.get("reason").asText()).isEqualTo(Reason.NODE_NOT_FOUND.name());
        assertThat(discovery.get("message").asText()).contains("kind-worker-7", "demo-node");
        assertSkipped(run, NETWORK_CHECKS, "hubble-discovery");
        assertThat(run.check("client-certificate").get("status").asText()).isEqualTo("ok");
        assertThat(run.check("ca-certificate").get("status").asText()).isEqualTo("ok");
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void socketMissing_socketUnreachable_everyNetworkCheckSkipped(@TempDir Path dir) {
        Path missing = dir.resolve("hubble.sock");

        CommandRun run = check(missing.toString(), EmbeddedHubble.NODE);

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode discovery = run.check("hubble-discovery");
        assertThat(discovery.get("status").asText()).isEqualTo("error");
        assertThat(discovery.get("reason").asText())
                .isEqualTo(Reason.SOCKET_UNREACHABLE.name());
        assertThat(discovery.get("message").asText()).contains(missing.toString());
        assertSkipped(run, NETWORK_CHECKS, "hubble-discovery");
        assertThat(run.check("client-certificate").get("status").asText()).isEqualTo("ok");
        run.assertRevealsNoKey(relayKeyPem);
    }

    @Test
    void relayKeyDeleted_fileMissingNamingThePath_handshakeSkipped_serverCertificateJudged()
            throws Exception {
        Path key = node.relayFiles().key();
        Files.delete(key);

        CommandRun run = check(node.socketPath().toString(), EmbeddedHubble.NODE);

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode client = run.check("client-certificate");
        assertThat(client.get("reason").asText()).isEqualTo(Reason.FILE_MISSING.name());
        assertThat(client.get("message").asText()).contains(key.toString());
        assertSkipped(run, List.of("mtls-handshake", "hubble-api"), "client-certificate");
        for (String judged : List.of("hubble-discovery", "ca-certificate", "server-certificate",
                "client-cert-required", "client-cert-verified", "plaintext-refused")) {
            assertThat(run.check(judged).get("status").asText()).as(judged).isEqualTo("ok");
        }
        assertThat(CommandRun.texts(run.report().get("certificates"), "role"))
                .containsExactly("client", "ca", "server", "server-chain");
        run.assertRevealsNoKey(relayKeyPem);
    }

    private static void assertSkipped(CommandRun run, List<String> checks, String pointer) {
        for (String id : checks) {
            JsonNode finding = run.check(id);
            assertThat(finding.get("status").asText()).as(id).isEqualTo("error");
            assertThat(finding.get("reason").asText()).as(id).isEqualTo(Reason.SKIPPED.name());
            assertThat(finding.get("message").asText()).as(id).contains("see " + pointer);
        }
    }

    private static IssuedCertificate expiringServerCertificate(Duration left) {
        Instant now = Instant.now();
        return CertificateMint.issue(ClusterPki.serverSpec("default", now)
                .withValidity(now.minus(Duration.ofDays(300)), now.plus(left))
                .withKeyKind(KeyKind.EC_P256), node.pki().ca());
    }

    private static CommandRun check(String socket, String nodeName) {
        return CommandRun.checkJson("--socket", socket, "--node-name", nodeName,
                "--tls-dir", node.relayFiles().directory().toString(), "--timeout", "2s");
    }
}
