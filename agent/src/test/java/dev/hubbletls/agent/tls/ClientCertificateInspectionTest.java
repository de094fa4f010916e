package dev.hubbletls.agent.tls;

import static dev.hubbletls.agent.testing.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.ProjectedVolume;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ClientCertificateInspectionTest {

    private static IssuedCertificate ca;

    private final CertificateInspector inspector =
            new CertificateInspector(TestPki.CLOCK, ExpiryThresholds.defaults());

    @TempDir
    Path dir;

    @BeforeAll
    static void mintCa() {
        ca = TestPki.ca("Cilium CA", -100, 1000);
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void healthyHelmMaterial_isOk_withSubjectAndDaysLeft(KeyKind kind) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, NOW.minus(Duration.ofDays(65)));
        new ProjectedVolume(dir, TestPki.CLOCK).publish(pki.relayClientFiles());

        Finding finding = inspector.inspectClient(MaterialLoader.load(TlsFiles.relayLayout(dir)));

        assertThat(finding.check()).isEqualTo(CheckId.CLIENT_CERTIFICATE);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("CN=*.hubble-relay.cilium.io")
                .contains("300 days left").contains("node clock 2026-12-03T10:00:00Z");
        assertThat(finding.details()).containsEntry("daysLeft", "300")
                .containsEntry("subject", "CN=*.hubble-relay.cilium.io")
                .containsKeys("notAfter", "sha256", "key", "signatureAlgorithm");
    }

    @Test
    void intermediateInClientCrt_isOk() throws Exception {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Relay Intermediate", TestPki.days(-10), Duration.ofDays(500))
                .withKeyKind(KeyKind.EC_P256), ca);
        IssuedCertificate client = TestPki.leaf("relay", intermediate, -1, 200);

        Finding finding = inspect(client, KeyFormat.PKCS8);

        assertThat(finding.status()).isEqualTo(Status.OK);
    }

    @Test
    void missingClientCrt_isCritical_andNamesTheMissingPath() throws Exception {
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 200),
                KeyFormat.SEC1, List.of(ca.certificate()));
        Files.delete(files.certificate());

        Finding finding = inspector.inspectClient(MaterialLoader.load(files));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(finding.message()).contains(files.certificate() + " does not exist");
    }

    @Test
    void keyOfAnotherCertificate_isCriticalKeyMismatch() throws Exception {
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 200),
                KeyFormat.SEC1, List.of(ca.certificate()));
        Files.writeString(files.key(), PemWriter.privateKey(
                TestPki.leaf("other", ca, -1, 200).privateKey(), KeyFormat.SEC1));

        Finding finding = inspector.inspectClient(MaterialLoader.load(files));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(finding.message()).contains(files.key().toString());
    }

    @ParameterizedTest(name = "{0} key")
    @CsvSource({"Ed448, Ed448", "DSA, DSA", "RSASSA-PSS, RSASSA-PSS"})
    void matchingPairOfAKeyTypeGoCannotUse_isUnsupportedKey_notKeyMismatch(String algorithm,
                                                                          String named)
            throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        IssuedCertificate client = CertificateMint.issue(TestPki.spec("client", -1, 300), ca,
                keys);
        TlsFiles files = TestPki.write(dir, client, KeyFormat.PKCS8, List.of(ca.certificate()));

        ClientMaterial material = MaterialLoader.load(files);
        Finding finding = inspector.inspectClient(material);

        assertThat(material.identity()).isEmpty();
        assertThat(material.problems()).extracting(MaterialException::problem)
                .containsExactly(MaterialProblem.UNSUPPORTED_KEY);
        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.UNSUPPORTED_KEY);
        assertThat(finding.message()).contains(named, files.certificate().toString(),
                "RSA, ECDSA P-256/P-384/P-521 and Ed25519").doesNotContain("issuances");
    }

    @Test
    void encryptedKey_isCriticalEncryptedKey() throws Exception {
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 200),
                KeyFormat.PKCS8_ENCRYPTED, List.of(ca.certificate()));

        Finding finding = inspector.inspectClient(MaterialLoader.load(files));

        assertThat(finding.reason()).isEqualTo(Reason.ENCRYPTED_KEY);
        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
    }

    @Test
    void expired_isCritical_withNotAfterBesideTheNodeClock() throws Exception {
        Finding finding = inspect(TestPki.leaf("relay", ca, -400, -33), KeyFormat.SEC1);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(finding.message())
                .contains("Client certificate CN=relay expired 2026-10-31T10:00:00Z")
                .contains("33 days ago, node clock 2026-12-03T10:00:00Z")
                .contains("hubble-relay-client-certs");
    }

    @Test
    void notYetValid_isCritical_withNotBeforeBesideTheNodeClock() throws Exception {
        Finding finding = inspect(TestPki.leaf("relay", ca, 2, 300), KeyFormat.SEC1);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_NOT_YET_VALID);
        assertThat(finding.message()).contains("not valid before 2026-12-05T10:00:00Z")
                .contains("node clock 2026-12-03T10:00:00Z is 2 days earlier");
    }

    @Test
    void expiringWithinWarning_isWarn_withThresholds() throws Exception {
        Finding finding = inspect(TestPki.leaf("relay", ca, -300, 20), KeyFormat.SEC1);

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRING);
        assertThat(finding.message()).contains("expires 2026-12-23T10:00:00Z (20 days left")
                .contains("warning at 30 days, critical at 7 days");
    }

    @Test
    void expiringWithinCritical_isCritical() throws Exception {
        Finding finding = inspect(TestPki.leaf("relay", ca, -300, 3), KeyFormat.SEC1);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRING);
        assertThat(finding.message()).contains("within the critical threshold");
    }

    @Test
    void serverAuthOnly_isCriticalClientAuthMissing() throws Exception {
        IssuedCertificate client = TestPki.leaf(TestPki.spec("relay", -1, 300)
                .withUsages(Set.of(CertificateSpec.Usage.SERVER_AUTH)), ca);

        Finding finding = inspect(client, KeyFormat.SEC1);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CLIENT_AUTH_USAGE_MISSING);
        assertThat(finding.message()).contains("the server will refuse the relay");
    }

    @Test
    void noExtendedKeyUsageExtension_isOk() throws Exception {
        IssuedCertificate client = TestPki.leaf(TestPki.spec("relay", -1, 300)
                .withUsages(Set.of()), ca);

        assertThat(inspect(client, KeyFormat.SEC1).status()).isEqualTo(Status.OK);
    }

    @Test
    void expiredAndWithoutClientAuth_leadsWithTheFirstCritical_andNamesTheOther()
            throws Exception {
        IssuedCertificate client = TestPki.leaf(TestPki.spec("relay", -400, -1)
                .withUsages(Set.of(CertificateSpec.Usage.SERVER_AUTH)), ca);

        Finding finding = inspect(client, KeyFormat.SEC1);

        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(finding.message()).contains("Also: ").contains("not clientAuth");
        assertThat(finding.details())
                .containsEntry("otherReasons", "CLIENT_AUTH_USAGE_MISSING (critical)");
    }

    @Test
    void expiringButKeyMismatched_criticalMismatchWinsOverTheWarning() throws Exception {
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -300, 20),
                KeyFormat.SEC1, List.of(ca.certificate()));
        Files.writeString(files.key(), PemWriter.privateKey(
                TestPki.leaf("other", ca, -1, 200).privateKey(), KeyFormat.SEC1));

        Finding finding = inspector.inspectClient(MaterialLoader.load(files));

        assertThat(finding.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(finding.details()).containsEntry("otherReasons", "CERT_EXPIRING (warn)");
    }

    @Test
    void facts_listClientChainThenBundle_withTheirSources() throws Exception {
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 200),
                KeyFormat.SEC1, List.of(ca.certificate()));

        List<CertificateFacts> facts = inspector.facts(MaterialLoader.load(files));

        assertThat(facts).extracting(CertificateFacts::role)
                .containsExactly(CertificateRole.CLIENT, CertificateRole.CA);
        assertThat(facts).extracting(CertificateFacts::source)
                .containsExactly(files.certificate().toString(), files.ca().toString());
    }

    private Finding inspect(IssuedCertificate client, KeyFormat format) throws Exception {
        TlsFiles files = TestPki.write(dir, client, format, List.of(ca.certificate()));
        return inspector.inspectClient(MaterialLoader.load(files));
    }
}
