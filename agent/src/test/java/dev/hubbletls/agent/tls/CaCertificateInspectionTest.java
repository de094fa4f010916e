package dev.hubbletls.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificateInspectionTest {

    private final CertificateInspector inspector =
            new CertificateInspector(TestPki.CLOCK, ExpiryThresholds.defaults());

    @TempDir
    Path dir;

    @Test
    void oneValidCa_isOk_withItsExpiry() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -100, 995);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 300), ca.certificate());

        assertThat(finding.check()).isEqualTo(CheckId.CA_CERTIFICATE);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("holds 1 CA: CN=Cilium CA valid until")
                .contains("995 days left");
        assertThat(finding.details()).containsEntry("ca1.subject", "CN=Cilium CA")
                .containsKey("ca1.sha256");
    }

    @Test
    void oldAndNewCaDuringRotation_bothValid_isOk() throws Exception {
        IssuedCertificate old = TestPki.ca("Cilium CA old", -900, 195);
        IssuedCertificate fresh = TestPki.ca("Cilium CA", -5, 1090);

        Finding finding = inspect(TestPki.leaf("relay", fresh, -1, 300),
                old.certificate(), fresh.certificate());

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("holds 2 CAs");
    }

    @Test
    void oldCaExpiringBesideTheNewOne_isARotationAndStaysQuiet() throws Exception {
        IssuedCertificate old = TestPki.ca("Cilium CA", -1000, 10);
        IssuedCertificate fresh = TestPki.ca("Cilium CA", -5, 1090);

        Finding finding = inspect(TestPki.leaf("relay", fresh, -1, 300),
                old.certificate(), fresh.certificate());

        assertThat(finding.status()).isEqualTo(Status.OK);
    }

    @Test
    void onlyCaExpired_isCriticalCaExpired() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1100, -5);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 300), ca.certificate());

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRED);
        assertThat(finding.message()).contains("CA #1 CN=Cilium CA in " + dir)
                .contains("expired 2026-11-28T10:00:00Z (5 days ago, node clock")
                .contains("the CA, not the leaf, is the problem");
    }

    @Test
    void expiredCaBesideAValidOne_isWarn_sayingItCanBeRemoved() throws Exception {
        IssuedCertificate old = TestPki.ca("Cilium CA old", -1100, -5);
        IssuedCertificate fresh = TestPki.ca("Cilium CA", -5, 1090);

        Finding finding = inspect(TestPki.leaf("relay", fresh, -1, 300),
                old.certificate(), fresh.certificate());

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRED);
        assertThat(finding.message()).contains("CA #1 CN=Cilium CA old")
                .contains("also holds CA #2 CN=Cilium CA, valid now").contains("can be removed");
    }

    @Test
    void onlyCaExpiringWithinWarning_isWarnCaExpiring() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1000, 25);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 20), ca.certificate());

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRING);
        assertThat(finding.message()).contains("25 days left");
    }

    @Test
    void onlyCaExpiringWithinCritical_isCriticalCaExpiring() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1000, 2);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 1), ca.certificate());

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRING);
    }

    @Test
    void caExpiringBeforeTheClientItSigned_isWarn_blamingTheCa() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1000, 95);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 364), ca.certificate());

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRES_BEFORE_LEAF);
        assertThat(finding.message()).contains("CA CN=Cilium CA expires 2027-03-08T10:00:00Z")
                .contains("before the client certificate CN=relay")
                .contains("the CA, not the leaf, is the problem");
    }

    @Test
    void caSigningOnlyThroughAnIntermediate_stillBlamedWhenExpiringBeforeTheLeaf()
            throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -1000, 95);
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Intermediate", TestPki.days(-10), Duration.ofDays(210))
                .withKeyKind(KeyKind.EC_P256), ca);

        Finding finding = inspect(TestPki.leaf("relay", intermediate, -1, 150),
                ca.certificate());

        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRES_BEFORE_LEAF);
    }

    @Test
    void missingBundle_isCriticalFileMissing_namingThePath() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -100, 995);
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 300), KeyFormat.SEC1,
                List.of(ca.certificate()));
        Files.delete(files.ca());

        Finding finding = inspector.inspectCa(MaterialLoader.load(files));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(finding.message()).contains(files.ca().toString());
    }

    @Test
    void serverLeafInTheBundle_isWarnNonCa_notCountedAsACa() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -100, 995);
        IssuedCertificate server = TestPki.leaf("*.default.hubble-grpc.cilium.io", ca, -1, 300);

        Finding finding = inspect(TestPki.leaf("relay", ca, -1, 300), ca.certificate(),
                server.certificate());

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.NON_CA_IN_BUNDLE);
        assertThat(finding.message()).contains("CN=*.default.hubble-grpc.cilium.io",
                "not a CA", "next renewal").doesNotContain("2 CAs");
    }

    @Test
    void keyInTheBundle_isCriticalUnreadablePem() throws Exception {
        IssuedCertificate ca = TestPki.ca("Cilium CA", -100, 995);
        TlsFiles files = TestPki.write(dir, TestPki.leaf("relay", ca, -1, 300), KeyFormat.SEC1,
                List.of(ca.certificate()));
        Files.writeString(files.ca(), PemWriter.privateKey(ca.privateKey(), KeyFormat.PKCS8));

        Finding finding = inspector.inspectCa(MaterialLoader.load(files));

        assertThat(finding.reason()).isEqualTo(Reason.UNREADABLE_PEM);
        assertThat(finding.message()).contains("no CERTIFICATE block");
    }

    private Finding inspect(IssuedCertificate client, X509Certificate... bundle)
            throws Exception {
        TlsFiles files = TestPki.write(dir, client, KeyFormat.SEC1, List.of(bundle));
        return inspector.inspectCa(MaterialLoader.load(files));
    }
}
