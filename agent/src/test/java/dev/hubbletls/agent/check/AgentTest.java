package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.PemWriter;
import dev.hubbletls.agent.tls.ServerTlsFiles;
import dev.hubbletls.agent.tls.TlsFiles;
import dev.hubbletls.agent.watch.Rotation;
import dev.hubbletls.agent.watch.WatchTiming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final WatchTiming FAST_WATCH = new WatchTiming(Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(30),
            Duration.ofSeconds(5));
    private static final Duration REPROBE = Duration.ofMillis(50);
    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path root;

    private final BlockingQueue<CheckReport> reports = new LinkedBlockingQueue<>();
    private EmbeddedHubble node;
    private ProjectedVolume serverVolume;
    private Agent agent;

    @BeforeEach
    void startNode() throws IOException {
        node = EmbeddedHubble.start(CLOCK, KeyKind.EC_P256);
        serverVolume = new ProjectedVolume(root.resolve("server-tls"), CLOCK);
        serverVolume.publish(serverFiles(node.pki().server(), node.pki().ca()));
    }

    @AfterEach
    void stopAll() throws IOException {
        if (agent != null) {
            agent.close();
        }
        node.close();
    }

    @Test
    void relayRotation_isRecorded_andTheNextPassDialsWithTheNewCertificate() throws Exception {
        start(node.relayFiles(), Optional.empty(), Duration.ofMinutes(2));
        awaitReport(report -> true);
        IssuedCertificate foreign = CertificateMint.issue(ClusterPki.relayClientSpec(
                        CLOCK.instant()).withKeyKind(KeyKind.EC_P256),
                ClusterPki.mint("default", KeyKind.EC_P256, CLOCK.instant()).ca());

        node.relayVolume().publish(node.pki().withRelayClient(foreign).relayClientFiles());

        CheckReport refused = awaitReport(report -> !report.rotations().isEmpty());
        assertThat(refused.rotations()).extracting(Rotation::newSerial)
                .contains(Optional.of(serial(foreign)));
        assertThat(reason(refused, CheckId.MTLS_HANDSHAKE)).isEqualTo(Reason.CLIENT_CERT_REJECTED);
        assertThat(agent.rotations().recent()).extracting(Rotation::newSerial)
                .contains(Optional.of(serial(foreign)));

        IssuedCertificate renewed = CertificateMint.issue(ClusterPki.relayClientSpec(
                CLOCK.instant()).withKeyKind(KeyKind.EC_P256), node.pki().ca());
        node.relayVolume().publish(node.pki().withRelayClient(renewed).relayClientFiles());

        CheckReport accepted = awaitReport(report -> report.rotations().stream()
                .anyMatch(rotation -> rotation.newSerial().equals(Optional.of(serial(renewed)))));
        assertThat(reason(accepted, CheckId.MTLS_HANDSHAKE)).isEqualTo(Reason.OK);
        assertThat(reason(accepted, CheckId.HUBBLE_API)).isEqualTo(Reason.OK);
        assertThat(accepted.finding(CheckId.TLS_WATCH).orElseThrow().status())
                .isEqualTo(Status.OK);
    }

    @Test
    void serverCertificateRotated_serverSwitchesLate_okWithReloadLag() throws Exception {
        start(node.relayFiles(), Optional.of(serverVolume.directory()), Duration.ofSeconds(30));
        assertThat(awaitReport(report -> true).status()).isEqualTo(Status.OK);
        IssuedCertificate renewed = renewedServer();

        serverVolume.publish(serverFiles(renewed, node.pki().ca()));
        CheckReport pending = awaitReport(report ->
                reason(report, CheckId.SERVER_RELOAD) == Reason.SERVER_RELOAD_PENDING);
        assertThat(pending.status()).as("a reload in progress is quiet").isEqualTo(Status.OK);
        node.serveCertificate(renewed);

        CheckReport switched = awaitReport(report ->
                reason(report, CheckId.SERVER_RELOAD) == Reason.OK);
        Finding reload = switched.finding(CheckId.SERVER_RELOAD).orElseThrow();
        assertThat(reload.details()).containsKey("reloadLagMillis")
                .containsEntry("presentedSha256", sha(renewed));
        assertThat(switched.status()).isEqualTo(Status.OK);
    }

    @Test
    void serverCertificateRotated_serverNeverSwitches_criticalServerNotReloaded()
            throws Exception {
        start(node.relayFiles(), Optional.of(serverVolume.directory()), Duration.ofMillis(400));
        awaitReport(report -> true);
        IssuedCertificate renewed = renewedServer();

        serverVolume.publish(serverFiles(renewed, node.pki().ca()));

        CheckReport stuck = awaitReport(report ->
                reason(report, CheckId.SERVER_RELOAD) == Reason.SERVER_NOT_RELOADED);
        Finding reload = stuck.finding(CheckId.SERVER_RELOAD).orElseThrow();
        assertThat(reload.status()).isEqualTo(Status.CRITICAL);
        assertThat(reload.message()).contains(sha(node.pki().server()), sha(renewed));
        assertThat(Long.parseLong(reload.details().get("elapsedMillis")))
                .isGreaterThanOrEqualTo(400);
    }

    @Test
    void serverClientCaRotatedToAnotherCa_refusalPredictedWhileTheHandshakeStillWorks()
            throws Exception {
        start(node.relayFiles(), Optional.of(serverVolume.directory()), Duration.ofMinutes(2));
        awaitReport(report -> true);
        IssuedCertificate otherCa = ClusterPki.mint("default", KeyKind.EC_P256,
                CLOCK.instant()).ca();

        serverVolume.publish(serverFiles(node.pki().server(), otherCa));

        CheckReport predicted = awaitReport(report ->
                reason(report, CheckId.SERVER_CLIENT_CA) == Reason.CLIENT_CA_MISMATCH);
        assertThat(predicted.finding(CheckId.SERVER_CLIENT_CA).orElseThrow().status())
                .isEqualTo(Status.CRITICAL);
        assertThat(reason(predicted, CheckId.MTLS_HANDSHAKE)).isEqualTo(Reason.OK);
        assertThat(predicted.rotations()).extracting(rotation ->
                rotation.file().getFileName().toString()).containsExactly("ca.crt");
    }

    @Test
    void relayDirectoryMissingAtStart_isAFinding_andTheAgentChecksOnceItAppears()
            throws Exception {
        Path later = root.resolve("relay-tls-later");
        start(TlsFiles.relayLayout(later), Optional.empty(), Duration.ofMinutes(2));
        Finding missing = awaitReport(report -> true).finding(CheckId.TLS_WATCH).orElseThrow();
        assertThat(missing.status()).isEqualTo(Status.ERROR);
        assertThat(missing.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(missing.message()).contains(later.toString(), "waits for it");

        new ProjectedVolume(later, CLOCK).publish(node.pki().relayClientFiles());

        CheckReport healthy = awaitReport(report -> report.status() == Status.OK);
        assertThat(healthy.finding(CheckId.TLS_WATCH).orElseThrow().message())
                .contains(later + " (watching)");
    }

    @Test
    void checkWithoutServerTlsDir_reportsExactlyTheOriginalChecks() {
        try (CheckPass pass = CheckPass.create(settings(node.relayFiles(), Optional.empty()),
                CLOCK)) {
            CheckReport report = pass.run();

            assertThat(report.findings()).extracting(Finding::check).containsExactly(
                    CheckId.DISCOVERY, CheckId.CLIENT_CERTIFICATE, CheckId.CA_CERTIFICATE,
                    CheckId.MTLS_HANDSHAKE, CheckId.SERVER_CERTIFICATE, CheckId.HUBBLE_API,
                    CheckId.CLIENT_CERT_REQUIRED, CheckId.CLIENT_CERT_VERIFIED,
                    CheckId.PLAINTEXT_REFUSED);
            assertThat(report.status()).isEqualTo(Status.OK);
            assertThat(ReportJson.text(report, CLOCK.instant()))
                    .doesNotContain("rotationsSincePreviousPass");
        }
    }

    private void start(TlsFiles relayFiles, Optional<Path> serverDir, Duration reloadBound) {
        agent = Agent.create(settings(relayFiles, serverDir), CLOCK,
                new Agent.Timing(FAST_WATCH, REPROBE, reloadBound), RandomGenerator.getDefault(),
                reports::add);
        agent.start();
    }

    private AgentSettings settings(TlsFiles relayFiles, Optional<Path> serverDir) {
        return new AgentSettings(node.socketPath().toString(), relayFiles,
                Optional.of(EmbeddedHubble.NODE), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(2), ExpiryThresholds.defaults(), Duration.ofHours(1),
                serverDir);
    }

    private CheckReport awaitReport(Predicate<CheckReport> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            CheckReport report = reports.poll(deadline - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
            assertThat(report).as("a matching report within " + WAIT_SECONDS + " s")
                    .isNotNull();
            if (wanted.test(report)) {
                return report;
            }
        }
    }

    private IssuedCertificate renewedServer() {
        return CertificateMint.issue(ClusterPki.serverSpec("default", CLOCK.instant())
                .withKeyKind(KeyKind.EC_P256), node.pki().ca());
    }

    private static Reason reason(CheckReport report, CheckId check) {
        return report.finding(check).map(Finding::reason).orElse(null);
    }

    private static Map<String, byte[]> serverFiles(IssuedCertificate server,
                                                   IssuedCertificate clientCa) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ServerTlsFiles.CERTIFICATE_NAME, ascii(PemWriter.certificates(
                List.of(server.certificate()))));
        files.put(ServerTlsFiles.CLIENT_CA_NAME, ascii(PemWriter.certificates(
                List.of(clientCa.certificate()))));
        return files;
    }

    private static String serial(IssuedCertificate issued) {
        return issued.certificate().getSerialNumber().toString(16);
    }

    private static String sha(IssuedCertificate issued) {
        return CertificateFacts.fingerprint(issued.certificate());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
