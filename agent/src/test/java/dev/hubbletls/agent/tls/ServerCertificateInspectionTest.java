package dev.hubbletls.agent.tls;

import static dev.hubbletls.agent.testing.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.TestPki;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServerCertificateInspectionTest {

    private static final String SERVER_NAME = "kind-worker.default.hubble-grpc.cilium.io";
    private static final String WILDCARD = "*.default.hubble-grpc.cilium.io";

    private static ClusterPki rsaPki;
    private static IssuedCertificate ca;

    private final CertificateInspector inspector =
            new CertificateInspector(TestPki.CLOCK, ExpiryThresholds.defaults());

    @BeforeAll
    static void mint() {
        rsaPki = ClusterPki.mint("default", KeyKind.RSA_2048, NOW.minus(Duration.ofDays(30)));
        ca = TestPki.ca(ClusterPki.CA_NAME, -30, 1000);
    }

    @Test
    void helmIssuedServer_isOk_withItsFacts() {
        Finding finding = inspect(List.of(rsaPki.server().certificate()), rsaPki.ca());

        assertThat(finding.check()).isEqualTo(CheckId.SERVER_CERTIFICATE);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("CN=" + WILDCARD).contains("covers " + SERVER_NAME)
                .contains("chains to CN=Cilium CA").contains("335 days left");
        assertThat(finding.details())
                .containsEntry("subject", "CN=" + WILDCARD)
                .containsEntry("issuer", "CN=Cilium CA")
                .containsEntry("daysLeft", "335")
                .containsEntry("key", "RSA 2048")
                .containsEntry("signatureAlgorithm", "SHA256withRSA")
                .containsEntry("dnsNames", WILDCARD)
                .containsKeys("notBefore", "notAfter", "sha256", "anchor", "nodeClock");
    }

    @Test
    void chainWithIntermediate_andWithTheRootSentAlong_isOk() {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Hubble Intermediate", TestPki.days(-10), Duration.ofDays(500))
                .withKeyKind(KeyKind.EC_P256), ca);
        IssuedCertificate server = TestPki.leaf(WILDCARD, intermediate, -1, 300);

        assertThat(inspect(List.of(server.certificate(), intermediate.certificate()), ca)
                .status()).isEqualTo(Status.OK);
        assertThat(inspect(server.withChain(), ca).status()).isEqualTo(Status.OK);
    }

    @Test
    void chainOfTwelveIntermediates_isOk_asGoSetsNoDepthLimit() {
        IssuedCertificate issuer = ca;
        for (int i = 1; i <= 12; i++) {
            issuer = CertificateMint.issue(CertificateSpec.authority("Intermediate " + i,
                    TestPki.days(-10), Duration.ofDays(500)).withKeyKind(KeyKind.EC_P256),
                    issuer);
        }
        IssuedCertificate server = TestPki.leaf(WILDCARD, issuer, -1, 300);

        Finding finding = inspect(server.withChain(), ca);

        assertThat(finding.status()).as(finding.message()).isEqualTo(Status.OK);
        assertThat(finding.details()).containsEntry("chainLength", "14");
    }

    @Test
    void presentedLeafItselfInTheBundle_isTrusted_asGoTrustsIt() {
        IssuedCertificate server = TestPki.leaf(WILDCARD, ca, -1, 300);

        Finding finding = inspect(List.of(server.certificate()), server);

        assertThat(finding.reason()).as(finding.message()).isEqualTo(Reason.OK);
        assertThat(finding.message()).contains("the CA bundle holds this very certificate");
    }

    @Test
    void intermediateNotSent_isUnknownAuthority_sayingTheServerDidNotSendIt() {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Hubble Intermediate", TestPki.days(-10), Duration.ofDays(500))
                .withKeyKind(KeyKind.EC_P256), ca);
        IssuedCertificate server = TestPki.leaf(WILDCARD, intermediate, -1, 300);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.reason()).isEqualTo(Reason.UNKNOWN_AUTHORITY);
        assertThat(finding.message()).contains("did not send",
                "CN=Hubble Intermediate", "the bundle lacks it").doesNotContain("two installers");
    }

    @Test
    void nothingPresented_isErrorSkipped() {
        Finding finding = inspector.inspectServer(List.of(), List.of(ca.certificate()),
                SERVER_NAME);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(finding.message()).isEqualTo("no certificate was presented");
    }

    @Test
    void serverFromAnotherCa_isUnknownAuthority_namingBothIssuers() {
        IssuedCertificate foreign = TestPki.ca("Other CA", -10, 1000);
        IssuedCertificate server = TestPki.leaf(WILDCARD, foreign, -1, 300);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.UNKNOWN_AUTHORITY);
        assertThat(finding.message()).contains("was issued by CN=Other CA")
                .contains("trusts only CN=Cilium CA (SHA-256 "
                        + CertificateFacts.fingerprint(ca.certificate()))
                .contains("different CAs");
        assertThat(finding.details()).containsEntry("anchor", "none")
                .containsKey("verification");
    }

    @Test
    void rotationBundleWithTwoCasOfTheSameName_serverFromEither_isOk() {
        IssuedCertificate old = TestPki.ca(ClusterPki.CA_NAME, -900, 200);
        List<X509Certificate> bundle = List.of(old.certificate(), ca.certificate());

        for (IssuedCertificate issuer : List.of(old, ca)) {
            IssuedCertificate server = TestPki.leaf(WILDCARD, issuer, -1, 100);

            Finding finding = inspector.inspectServer(List.of(server.certificate()), bundle,
                    SERVER_NAME);

            assertThat(finding.status()).isEqualTo(Status.OK);
            assertThat(finding.details()).containsEntry("anchor", "CN=Cilium CA (SHA-256 "
                    + CertificateFacts.fingerprint(issuer.certificate()) + ")");
        }
    }

    @Test
    void caRegeneratedOnOneSide_sameNameOtherKey_saysSo() {
        IssuedCertificate regenerated = TestPki.ca(ClusterPki.CA_NAME, -1, 1000);
        IssuedCertificate server = TestPki.leaf(WILDCARD, regenerated, -1, 300);

        Finding finding = inspect(server.withChain(), ca);

        assertThat(finding.reason()).isEqualTo(Reason.UNKNOWN_AUTHORITY);
        assertThat(finding.message()).contains("same name with another key")
                .contains("SHA-256 " + CertificateFacts.fingerprint(regenerated.certificate()));
    }

    @Test
    void nameOnlyInTheCn_isNameMismatch_sayingGoIgnoresTheCn() {
        IssuedCertificate server = TestPki.leaf(TestPki.spec(WILDCARD, -1, 300)
                .withDnsNames(List.of()), ca);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.SERVER_NAME_MISMATCH);
        assertThat(finding.message()).contains("server name " + SERVER_NAME)
                .contains("DNS names []").contains("only in the CN");
    }

    @Test
    void certificateForClusterDefault_butPeerInProd_namesBothClusters() {
        IssuedCertificate server = TestPki.leaf(WILDCARD, ca, -1, 300);

        Finding finding = inspector.inspectServer(List.of(server.certificate()),
                List.of(ca.certificate()), "kind-worker.prod.hubble-grpc.cilium.io");

        assertThat(finding.reason()).isEqualTo(Reason.SERVER_NAME_MISMATCH);
        assertThat(finding.message()).contains("DNS names [" + WILDCARD + "]")
                .contains("for cluster `default`").contains("expects cluster `prod`")
                .contains("*.prod.hubble-grpc.cilium.io");
    }

    @Test
    void wildcardDoesNotCoverTwoLabels() {
        IssuedCertificate server = TestPki.leaf("*.hubble-grpc.cilium.io", ca, -1, 300);

        assertThat(inspect(List.of(server.certificate()), ca).reason())
                .isEqualTo(Reason.SERVER_NAME_MISMATCH);
    }

    @Test
    void clientAuthOnly_isServerAuthMissing() {
        IssuedCertificate server = TestPki.leaf(TestPki.spec(WILDCARD, -1, 300)
                .withUsages(Set.of(CertificateSpec.Usage.CLIENT_AUTH)), ca);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.SERVER_AUTH_USAGE_MISSING);
    }

    @Test
    void expiredServer_isCertExpired_notUnknownAuthority() {
        IssuedCertificate server = TestPki.leaf(WILDCARD, ca, -20, -2);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(finding.message())
                .contains("Server certificate CN=" + WILDCARD + " expired 2026-12-01T10:00:00Z")
                .contains("2 days ago, node clock 2026-12-03T10:00:00Z")
                .contains("renew the secret hubble-server-certs")
                .doesNotContain("Also");
    }

    @Test
    void notYetValidServer_isCritical_withBothTimes() {
        IssuedCertificate server = TestPki.leaf(WILDCARD, ca, 1, 300);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.reason()).isEqualTo(Reason.CERT_NOT_YET_VALID);
        assertThat(finding.message()).contains("2026-12-04T10:00:00Z")
                .contains("node clock 2026-12-03T10:00:00Z").doesNotContain("Also");
    }

    @Test
    void expiringServer_isWarn() {
        IssuedCertificate server = TestPki.leaf(WILDCARD, ca, -300, 12);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRING);
    }

    @Test
    void caExpiredUnderAFreshLeaf_isCriticalCaExpired_blamingTheCa() {
        IssuedCertificate oldCa = TestPki.ca(ClusterPki.CA_NAME, -1100, -3);
        IssuedCertificate server = TestPki.leaf(WILDCARD, oldCa, -10, 300);

        Finding finding = inspect(List.of(server.certificate()), oldCa);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRED);
        assertThat(finding.message())
                .contains("The server certificate's CA CN=Cilium CA expired")
                .contains("the CA, not the leaf, is the problem");
    }

    @Test
    void caExpiringWithinWarning_isWarnCaExpiring() {
        IssuedCertificate oldCa = TestPki.ca(ClusterPki.CA_NAME, -1000, 20);
        IssuedCertificate server = TestPki.leaf(WILDCARD, oldCa, -10, 300);

        Finding finding = inspect(List.of(server.certificate()), oldCa);

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRING);
    }

    @Test
    void caExpiringBeforeTheServerItSigned_isWarnCaExpiresBeforeLeaf() {
        IssuedCertificate oldCa = TestPki.ca(ClusterPki.CA_NAME, -1000, 95);
        IssuedCertificate server = TestPki.leaf(WILDCARD, oldCa, -10, 300);

        Finding finding = inspect(List.of(server.certificate()), oldCa);

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRES_BEFORE_LEAF);
        assertThat(finding.message()).contains("before the server certificate");
    }

    @Test
    void expiredIntermediate_isCaExpired_notUnknownAuthority() {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Hubble Intermediate", TestPki.days(-400), Duration.ofDays(395))
                .withKeyKind(KeyKind.EC_P256), ca);
        IssuedCertificate server = TestPki.leaf(WILDCARD, intermediate, -30, 300);

        Finding finding = inspect(List.of(server.certificate(), intermediate.certificate()), ca);

        assertThat(finding.reason()).isEqualTo(Reason.CA_EXPIRED);
        assertThat(finding.message()).contains("Intermediate CA CN=Hubble Intermediate")
                .doesNotContain("was issued by");
    }

    @Test
    void rsa1024Leaf_isCriticalWeakKey() throws Exception {
        X509Certificate server = TestPki.rawServerLeaf(WILDCARD, 1024, rsaPki.ca(),
                "SHA256withRSA");

        Finding finding = inspect(List.of(server), rsaPki.ca());

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.WEAK_KEY);
        assertThat(finding.message()).contains("RSA key of 1024 bits").doesNotContain("Also");
    }

    @Test
    void ed448ServerKey_isCriticalUnsupportedKey() throws Exception {
        IssuedCertificate server = CertificateMint.issue(TestPki.spec(WILDCARD, -1, 300), ca,
                KeyPairGenerator.getInstance("Ed448").generateKeyPair());

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.UNSUPPORTED_KEY);
        assertThat(finding.message()).contains("Ed448", "hubble-server-certs")
                .doesNotContain("Also");
    }

    @Test
    void ecdsaP384ServerKey_isOk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        IssuedCertificate server = CertificateMint.issue(TestPki.spec(WILDCARD, -1, 300), ca,
                generator.generateKeyPair());

        assertThat(inspect(List.of(server.certificate()), ca).status()).isEqualTo(Status.OK);
    }

    @Test
    void sha1Signature_isCriticalWeakSignature() throws Exception {
        X509Certificate server = TestPki.rawServerLeaf(WILDCARD, 2048, rsaPki.ca(),
                "SHA1withRSA");

        Finding finding = inspect(List.of(server), rsaPki.ca());

        assertThat(finding.reason()).isEqualTo(Reason.WEAK_SIGNATURE);
        assertThat(finding.message()).contains("SHA1withRSA").doesNotContain("Also");
    }

    @Test
    void md5Signature_refusedByTheJdkToo_isStillWeakSignatureNotUnknownAuthority()
            throws Exception {
        X509Certificate server = TestPki.rawServerLeaf(WILDCARD, 2048, rsaPki.ca(),
                "MD5withRSA");

        Finding finding = inspect(List.of(server), rsaPki.ca());

        assertThat(finding.reason()).isEqualTo(Reason.WEAK_SIGNATURE);
        assertThat(finding.details()).doesNotContainKey("otherReasons");
    }

    @Test
    void foreignAndExpiredAndMisnamed_leadsWithExpiry_andNamesTheRest() {
        IssuedCertificate foreign = TestPki.ca("Other CA", -500, 1000);
        IssuedCertificate server = TestPki.leaf("*.other.hubble-grpc.cilium.io", foreign,
                -400, -33);

        Finding finding = inspect(List.of(server.certificate()), ca);

        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(finding.message()).contains("33 days ago").contains("Also: ");
        assertThat(finding.details()).containsEntry("otherReasons",
                "UNKNOWN_AUTHORITY (critical),SERVER_NAME_MISMATCH (critical)");
    }

    private Finding inspect(List<X509Certificate> presented, IssuedCertificate trusted) {
        return inspector.inspectServer(presented, List.of(trusted.certificate()),
                SERVER_NAME);
    }
}
