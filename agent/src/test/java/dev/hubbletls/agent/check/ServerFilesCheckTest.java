package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateInspector;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.MaterialLoader;
import dev.hubbletls.agent.tls.PemWriter;
import dev.hubbletls.agent.tls.ServerTlsFiles;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFilesCheckTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration BOUND = Duration.ofMinutes(2);

    private static ClusterPki pki;
    private static IssuedCertificate renewedServer;

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(START);
    private ServerTlsFiles serverFiles;
    private ClientMaterial relay;
    private ServerFilesCheck check;

    @BeforeAll
    static void mintPki() {
        pki = ClusterPki.mint("default", KeyKind.EC_P256, START.minus(Duration.ofDays(1)));
        renewedServer = CertificateMint.issue(ClusterPki.serverSpec("default", START)
                .withKeyKind(KeyKind.EC_P256), pki.ca());
    }

    @BeforeEach
    void writeFiles() throws IOException {
        serverFiles = new ServerTlsFiles(Files.createDirectories(root.resolve("server-tls")));
        writeServerCertificate(pki.server().certificate(), START.minus(Duration.ofHours(1)));
        write(serverFiles.clientCa(), PemWriter.certificates(List.of(pki.ca().certificate())));
        Path relayDir = Files.createDirectories(root.resolve("relay-tls"));
        for (Map.Entry<String, byte[]> file : pki.relayClientFiles().entrySet()) {
            Files.write(relayDir.resolve(file.getKey()), file.getValue());
        }
        relay = MaterialLoader.load(TlsFiles.relayLayout(relayDir));
        check = new ServerFilesCheck(serverFiles,
                new CertificateInspector(clock, ExpiryThresholds.defaults()), clock, BOUND);
    }

    @Test
    void serverPresentsTheCertificateOnDisk_ok() {
        Finding reload = reload(pki.server());

        assertThat(reload.status()).isEqualTo(Status.OK);
        assertThat(reload.reason()).isEqualTo(Reason.OK);
        assertThat(reload.details()).doesNotContainKey("reloadLagMillis")
                .containsEntry("presentedSha256", sha(pki.server()));
    }

    @Test
    void fileChanged_serverStillPresentsTheOldOne_withinBound_pendingAndQuiet()
            throws IOException {
        reload(pki.server());
        clock.advance(Duration.ofSeconds(30));
        writeServerCertificate(renewedServer.certificate(), clock.instant());
        clock.advance(Duration.ofSeconds(3));

        Finding reload = reload(pki.server());

        assertThat(reload.status()).isEqualTo(Status.OK);
        assertThat(reload.reason()).isEqualTo(Reason.SERVER_RELOAD_PENDING);
        assertThat(reload.message()).contains("3.0 s ago", "still presents");
        assertThat(reload.details()).containsEntry("elapsedMillis", "3000");
    }

    @Test
    void serverNeverSwitches_pastBound_criticalWithBothFingerprintsAndElapsedTime()
            throws IOException {
        reload(pki.server());
        writeServerCertificate(renewedServer.certificate(), clock.instant());
        reload(pki.server());
        clock.advance(BOUND.plusSeconds(1));

        Finding reload = reload(pki.server());

        assertThat(reload.status()).isEqualTo(Status.CRITICAL);
        assertThat(reload.reason()).isEqualTo(Reason.SERVER_NOT_RELOADED);
        assertThat(reload.message()).contains(sha(pki.server()), sha(renewedServer),
                "121.0 s after", serverFiles.certificate().toString(), "cilium-agent log");
        assertThat(reload.details())
                .containsEntry("presentedSha256", sha(pki.server()))
                .containsEntry("diskSha256", sha(renewedServer))
                .containsEntry("elapsedMillis", "121000");
    }

    @Test
    void serverSwitchesLate_withinBound_okWithReloadLag() throws IOException {
        reload(pki.server());
        writeServerCertificate(renewedServer.certificate(), clock.instant());
        reload(pki.server());
        clock.advance(Duration.ofSeconds(65));

        Finding reload = reload(renewedServer);

        assertThat(reload.status()).isEqualTo(Status.OK);
        assertThat(reload.reason()).isEqualTo(Reason.OK);
        assertThat(reload.details()).containsEntry("reloadLagMillis", "65000");
        assertThat(reload.message()).contains("switched to it 65.0 s after the file changed");
    }

    @Test
    void fileCopiedWithAnOldModificationTime_elapsedCountsFromWhenTheOldOneWasLastSeen()
            throws IOException {
        reload(pki.server());
        clock.advance(Duration.ofSeconds(10));
        writeServerCertificate(renewedServer.certificate(), START.minus(Duration.ofDays(30)));

        Finding reload = reload(pki.server());

        assertThat(reload.reason()).isEqualTo(Reason.SERVER_RELOAD_PENDING);
        assertThat(reload.details()).containsEntry("elapsedMillis", "10000");
    }

    @Test
    void serverAheadOfThisAgentsCopy_ok() {
        Finding reload = reload(renewedServer);

        assertThat(reload.status()).isEqualTo(Status.OK);
        assertThat(reload.reason()).isEqualTo(Reason.OK);
        assertThat(reload.message()).contains("newer certificate", "not updated yet");
    }

    @Test
    void serverCertificateFileMissing_errorNamingTheFile() throws IOException {
        Files.delete(serverFiles.certificate());

        Finding reload = reload(pki.server());

        assertThat(reload.status()).isEqualTo(Status.ERROR);
        assertThat(reload.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(reload.message()).contains(serverFiles.certificate().toString());
    }

    @Test
    void clientCaFromTheSameCa_ok() {
        Finding clientCa = clientCa();

        assertThat(clientCa.status()).isEqualTo(Status.OK);
        assertThat(clientCa.message()).contains("CN=Cilium CA", "accepts it");
    }

    @Test
    void clientCaOfAnotherCa_criticalPredictingTheRefusal() throws IOException {
        IssuedCertificate otherCa = ClusterPki.mint("default", KeyKind.EC_P256, START).ca();
        write(serverFiles.clientCa(), PemWriter.certificates(List.of(otherCa.certificate())));

        Finding clientCa = clientCa();

        assertThat(clientCa.status()).isEqualTo(Status.CRITICAL);
        assertThat(clientCa.reason()).isEqualTo(Reason.CLIENT_CA_MISMATCH);
        assertThat(clientCa.message()).contains("CN=*.hubble-relay.cilium.io",
                "was issued by CN=Cilium CA", CertificateFacts.fingerprint(otherCa.certificate()),
                serverFiles.clientCa().toString(), "refuses the relay");
    }

    @Test
    void clientCaHoldingOldAndNewCaDuringARollover_ok() throws IOException {
        IssuedCertificate newCa = ClusterPki.mint("default", KeyKind.EC_P256, START).ca();
        write(serverFiles.clientCa(), PemWriter.certificates(
                List.of(newCa.certificate(), pki.ca().certificate())));

        assertThat(clientCa().status()).isEqualTo(Status.OK);
    }

    @Test
    void clientCaFileMissing_errorNamingTheFile() throws IOException {
        Files.delete(serverFiles.clientCa());

        Finding clientCa = clientCa();

        assertThat(clientCa.status()).isEqualTo(Status.ERROR);
        assertThat(clientCa.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(clientCa.message()).contains(serverFiles.clientCa().toString());
    }

    private Finding reload(IssuedCertificate presented) {
        return findings(presented.withChain()).get(1);
    }

    private Finding clientCa() {
        return findings(pki.server().withChain()).get(0);
    }

    private List<Finding> findings(List<X509Certificate> presented) {
        List<Finding> findings = check.judge(relay, presented);
        assertThat(findings).extracting(Finding::check)
                .containsExactly(CheckId.SERVER_CLIENT_CA, CheckId.SERVER_RELOAD);
        return findings;
    }

    private void writeServerCertificate(X509Certificate certificate, Instant modified)
            throws IOException {
        write(serverFiles.certificate(), PemWriter.certificates(List.of(certificate)));
        Files.setLastModifiedTime(serverFiles.certificate(), FileTime.from(modified));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    private static String sha(IssuedCertificate issued) {
        return CertificateFacts.fingerprint(issued.certificate());
    }
}
