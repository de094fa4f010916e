package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.probe.ServerCertificateCheck.Rejection;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerCertificateCheckTest {

    private final TestPki pki = new TestPki();

    @Test
    void healthyChain_isAccepted() {
        assertThat(verify(pki.trust(), pki.cluster.server())).isEmpty();
    }

    @Test
    void bundleDuringRotation_oldAndNewCa_acceptsTheNewServer() {
        IssuedCertificate oldCa = TestPki.otherCa("Cilium CA old", pki.now);

        assertThat(verify(List.of(oldCa.certificate(), pki.cluster.ca().certificate()),
                pki.cluster.server())).isEmpty();
    }

    @Test
    void serverChainThroughIntermediate_isAccepted() {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Hubble intermediate", pki.now.minusSeconds(60), Duration.ofDays(30))
                .withKeyKind(KeyKind.EC_P256), pki.cluster.ca());
        IssuedCertificate server = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)).withKeyKind(KeyKind.EC_P256), intermediate);

        assertThat(verify(pki.trust(), server)).isEmpty();
    }

    @Test
    void nameOnlyInCommonName_isServerNameMismatch() {
        IssuedCertificate cnOnly = pki.issue(ClusterPki.serverSpec("default", pki.now)
                .withDnsNames(List.of()));

        Optional<Rejection> rejection = verify(pki.trust(), cnOnly);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.SERVER_NAME_MISMATCH);
        assertThat(rejection.get().message()).contains("carries no DNS names",
                "ignores the common name");
    }

    @Test
    void expiredCaInBundle_isCaExpired() {
        IssuedCertificate oldCa = CertificateMint.selfSigned(CertificateSpec.authority(
                "Cilium CA", pki.now.minus(Duration.ofDays(40)), Duration.ofDays(30))
                .withKeyKind(KeyKind.EC_P256));
        IssuedCertificate server = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)).withKeyKind(KeyKind.EC_P256), oldCa);

        Optional<Rejection> rejection = verify(List.of(oldCa.certificate()), server);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.SERVER_CA_EXPIRED);
        assertThat(rejection.get().message()).contains("trusted CA 'CN=Cilium CA' expired at");
    }

    @Test
    void serverCertificateWithOnlyClientAuth_isServerAuthUsageMissing() {
        IssuedCertificate clientOnly = pki.issue(ClusterPki.serverSpec("default", pki.now)
                .withUsages(Set.of(CertificateSpec.Usage.CLIENT_AUTH)));

        assertThat(verify(pki.trust(), clientOnly)).get().extracting(Rejection::failure)
                .isEqualTo(Failure.SERVER_AUTH_USAGE_MISSING);
    }

    @Test
    void caRegeneratedOnOneSide_isUnknownAuthoritySayingSo() {
        ClusterPki reinstalled = ClusterPki.mint("default", KeyKind.EC_P256, pki.now);

        Optional<Rejection> rejection = verify(pki.trust(), reinstalled.server());

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.UNKNOWN_AUTHORITY);
        assertThat(rejection.get().message()).contains("regenerated on one side");
    }

    @Test
    void sha1SignedServerCertificate_isWeakSignature_asGoRefusesIt() throws Exception {
        IssuedCertificate sha1 = TestPki.rawServer(pki.serverName(), 2048, pki.cluster.ca(),
                "SHA1withECDSA", pki.now.minusSeconds(60));

        Optional<Rejection> rejection = verify(pki.trust(), sha1);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.WEAK_SIGNATURE);
        assertThat(rejection.get().message()).contains("SHA1withECDSA", "rejects SHA-1");
    }

    @Test
    void md5SignedServerCertificate_isWeakSignature_notUnknownAuthority() throws Exception {
        IssuedCertificate rsaCa = TestPki.rawCa("Cilium CA", "SHA256withRSA",
                pki.now.minusSeconds(60));
        IssuedCertificate md5 = TestPki.rawServer(pki.serverName(), 2048, rsaCa, "MD5withRSA",
                pki.now.minusSeconds(60));

        Optional<Rejection> rejection = verify(List.of(rsaCa.certificate()), md5);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.WEAK_SIGNATURE);
        assertThat(rejection.get().message()).contains("MD5withRSA");
    }

    @Test
    void sha1SelfSignatureOfTheTrustedCa_isAccepted_asGoNeverChecksIt() throws Exception {
        IssuedCertificate sha1Root = TestPki.rawCa("Cilium CA", "SHA1withRSA",
                pki.now.minusSeconds(60));
        IssuedCertificate server = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)), sha1Root);

        assertThat(verify(List.of(sha1Root.certificate()), server)).isEmpty();
    }

    @Test
    void serverKeyGoCannotUse_isUnsupportedKey() throws Exception {
        IssuedCertificate ed448 = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)), pki.cluster.ca(),
                KeyPairGenerator.getInstance("Ed448").generateKeyPair());

        Optional<Rejection> rejection = verify(pki.trust(), ed448);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.UNSUPPORTED_KEY);
        assertThat(rejection.get().message()).contains("Ed448");
    }

    @Test
    void serverCertificateItselfInTheBundle_isAccepted_asGoAcceptsIt() {
        assertThat(verify(List.of(pki.cluster.server().certificate()), pki.cluster.server()))
                .isEmpty();
    }

    @Test
    void intermediateNotSent_isUnknownAuthority_sayingTheServerDidNotSendIt() {
        IssuedCertificate intermediate = CertificateMint.issue(CertificateSpec.authority(
                "Hubble intermediate", pki.now.minusSeconds(60), Duration.ofDays(30))
                .withKeyKind(KeyKind.EC_P256), pki.cluster.ca());
        IssuedCertificate server = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)).withKeyKind(KeyKind.EC_P256), intermediate);

        Optional<Rejection> rejection = new ServerCertificateCheck(pki.trust())
                .verify(List.of(server.certificate()), pki.serverName(), pki.now);

        assertThat(rejection).get().extracting(Rejection::failure)
                .isEqualTo(Failure.UNKNOWN_AUTHORITY);
        assertThat(rejection.get().message()).contains("did not send",
                "CN=Hubble intermediate", "the bundle lacks it");
    }

    private Optional<Rejection> verify(List<java.security.cert.X509Certificate> bundle,
                                       IssuedCertificate server) {
        return new ServerCertificateCheck(bundle).verify(server.withChain(), pki.serverName(),
                pki.now);
    }
}
