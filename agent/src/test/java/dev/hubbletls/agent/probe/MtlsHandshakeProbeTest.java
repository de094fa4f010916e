package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.testing.TestPki;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MtlsHandshakeProbeTest {

    private static final String[] TLS13_H2_REQUIRED =
            {"-tls1_3", "-alpn", "h2", "-Verify", "1", "-verify_return_error"};

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void relayIdentity_tls13ServerRequiringClientCerts_isOk() throws Exception {
        OpensslServer server = openssl(pki.cluster.server(), pki.trust(), TLS13_H2_REQUIRED);

        MtlsHandshakeResult result = probe(pki.clock).probe(server.target(pki.serverName()),
                pki.relay(), pki.trust());

        Finding finding = result.finding();
        assertThat(finding.check()).isEqualTo(CheckId.MTLS_HANDSHAKE);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("TLSv1.3", "ALPN h2", "handshake in");
        assertThat(finding.details()).containsEntry("protocol", "TLSv1.3")
                .containsEntry("alpn", "h2").containsEntry("certificateRequested", "true");
        assertThat(result.outcome().postHandshake())
                .isEqualTo(HandshakeOutcome.PostHandshake.ANSWERED);
        assertThat(result.presentedChain().get(0))
                .isEqualTo(pki.cluster.server().certificate());
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void everyKeyKind_rsaEcAndEd25519_completeMutualTls(KeyKind kind) throws Exception {
        TestPki world = new TestPki(kind);
        OpensslServer server = openssl(world.cluster.server(), world.trust(), TLS13_H2_REQUIRED);

        Finding finding = probe(world.clock).probe(server.target(world.serverName()),
                world.relay(), world.trust()).finding();

        assertThat(finding.status()).as(finding.message()).isEqualTo(Status.OK);
        assertThat(server.log()).contains("Peer certificate: CN = *.hubble-relay.cilium.io");
    }

    @Test
    void serverCertificateForAnotherCluster_isServerNameMismatch() throws Exception {
        IssuedCertificate staging = pki.issue(ClusterPki.serverSpec("staging", pki.now));
        OpensslServer server = openssl(staging, pki.trust(), TLS13_H2_REQUIRED);

        MtlsHandshakeResult result = probe(pki.clock).probe(server.target(pki.serverName()),
                pki.relay(), pki.trust());

        assertThat(result.finding().status()).isEqualTo(Status.CRITICAL);
        assertThat(result.finding().reason()).isEqualTo(Reason.SERVER_NAME_MISMATCH);
        assertThat(result.finding().message())
                .contains("*.staging.hubble-grpc.cilium.io", pki.serverName());
        assertThat(result.presentedChain()).first().isEqualTo(staging.certificate());
    }

    @Test
    void serverSignedByAnotherCa_isUnknownAuthority_namingBothFingerprints() throws Exception {
        ClusterPki otherInstall = ClusterPki.mint("default", KeyKind.EC_P256, pki.now);
        OpensslServer server = openssl(otherInstall.server(), pki.trust(), TLS13_H2_REQUIRED);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.UNKNOWN_AUTHORITY);
        assertThat(finding.message()).contains(
                fingerprint(otherInstall.ca().certificate()),
                fingerprint(pki.cluster.ca().certificate()));
    }

    @Test
    void expiredServerCertificate_isCertExpired() throws Exception {
        IssuedCertificate expired = pki.issue(ClusterPki.serverSpec("default", pki.now)
                .withValidity(pki.now.minus(Duration.ofDays(400)),
                        pki.now.minus(Duration.ofDays(35))));
        OpensslServer server = openssl(expired, pki.trust(), TLS13_H2_REQUIRED);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(finding.message()).contains("expired at",
                expired.certificate().getNotAfter().toInstant().toString());
    }

    @Test
    void sha1SignedServerCertificate_isWeakSignature_thoughJsseAcceptsIt() throws Exception {
        IssuedCertificate sha1 = TestPki.rawServer(pki.serverName(), 2048, pki.cluster.ca(),
                "SHA1withECDSA", pki.now.minusSeconds(60));
        JsseTestServer server = JsseTestServer.start(sha1, JsseTestServer.ClientAuth.NEED,
                JsseTestServer.trusting(pki.trust()));
        servers.add(server);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.WEAK_SIGNATURE);
        assertThat(finding.message()).contains("SHA1withECDSA", "re-issue");
    }

    @Test
    void ed448ServerKey_isUnsupportedKey_thoughJsseCompletesTheHandshake() throws Exception {
        IssuedCertificate ed448 = CertificateMint.issue(ClusterPki.serverSpec("default",
                pki.now.minusSeconds(60)), pki.cluster.ca(),
                KeyPairGenerator.getInstance("Ed448").generateKeyPair());
        JsseTestServer server = JsseTestServer.start(ed448, JsseTestServer.ClientAuth.NEED,
                JsseTestServer.trusting(pki.trust()));
        servers.add(server);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.UNSUPPORTED_KEY);
        assertThat(finding.message()).contains("Ed448", "hubble-server-certs");
    }

    @Test
    void nodeClockBehindServerCertificate_isNotYetValid() throws Exception {
        JsseTestServer server = jsse(JsseTestServer.ClientAuth.NEED);
        Clock behind = Clock.fixed(pki.now.minus(Duration.ofDays(2)), ZoneOffset.UTC);

        Finding finding = probe(behind).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.CERT_NOT_YET_VALID);
        assertThat(finding.message()).contains("not valid before", "clock");
    }

    @Test
    void clientCertificateFromCaTheServerDoesNotTrust_isClientCertRejectedWithUnknownCa()
            throws Exception {
        IssuedCertificate serverClientCa = TestPki.otherCa("Server-side client CA", pki.now);
        OpensslServer server = openssl(pki.cluster.server(),
                List.of(serverClientCa.certificate()), TLS13_H2_REQUIRED);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.CLIENT_CERT_REJECTED);
        assertThat(finding.message()).contains("unknown_ca (48)", "after the handshake",
                "CN=Cilium CA is not among the CAs the server accepts",
                "CN=Server-side client CA");
    }

    @Test
    void clientCertificateWithoutClientAuthUsage_isClientCertRejected() throws Exception {
        IssuedCertificate serverOnly = pki.issue(ClusterPki.relayClientSpec(pki.now)
                .withUsages(Set.of(CertificateSpec.Usage.SERVER_AUTH)));
        OpensslServer server = openssl(pki.cluster.server(), pki.trust(), TLS13_H2_REQUIRED);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()),
                ClientIdentity.of(serverOnly), pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.CLIENT_CERT_REJECTED);
        assertThat(finding.message()).contains("unsupported_certificate (43)",
                "lacks the clientAuth extended key usage");
    }

    @Test
    void serverTrustsAnotherCaOfTheSameName_isClientCertRejectedNamingTheTwin()
            throws Exception {
        IssuedCertificate twin = CertificateMint.selfSigned(CertificateSpec.authority(
                ClusterPki.CA_NAME, pki.now, Duration.ofDays(30)).withKeyKind(KeyKind.EC_P256));
        OpensslServer server = openssl(pki.cluster.server(), List.of(twin.certificate()),
                TLS13_H2_REQUIRED);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.CLIENT_CERT_REJECTED);
        assertThat(finding.message()).contains("decrypt_error (51)", "same name");
    }

    @Test
    void tls12OnlyServer_isProtocolMismatch() throws Exception {
        OpensslServer server = openssl(pki.cluster.server(), pki.trust(),
                "-tls1_2", "-alpn", "h2", "-Verify", "1", "-verify_return_error");

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
        assertThat(finding.message()).contains("TLSv1.2", "Relay requires TLS 1.3");
    }

    @Test
    void serverWithoutAlpnH2_isProtocolMismatch() throws Exception {
        OpensslServer server = openssl(pki.cluster.server(), pki.trust(),
                "-tls1_3", "-Verify", "1", "-verify_return_error");

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH);
        assertThat(finding.message()).contains("without ALPN h2");
        assertThat(finding.details()).containsEntry("alpn", "(none)");
    }

    @Test
    void plaintextServer_isTlsDisabled() throws Exception {
        RawServer server = raw(RawServer.Behaviour.PLAINTEXT_HTTP2);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.TLS_DISABLED);
        assertThat(finding.message()).contains("hubble-disable-tls");
    }

    @Test
    void responderThatIsNotTls_doesNotClaimHubbleRunsWithoutTls() throws Exception {
        RawServer server = raw(RawServer.Behaviour.GARBAGE);

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        assertThat(finding.reason()).isEqualTo(Reason.TLS_DISABLED);
        assertThat(finding.message()).contains("bytes that are not TLS", "hubble-disable-tls",
                "something other than Hubble", "plaintext-refused")
                .doesNotContain("runs without TLS");
    }

    @Test
    void nothingListening_isConnectionRefused_notACertificateProblem() throws Exception {
        ProbeTarget closed = new ProbeTarget("127.0.0.1", closedPort(), pki.serverName());

        Finding finding = probe(pki.clock).probe(closed, pki.relay(), pki.trust()).finding();

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(finding.message()).contains("not a certificate problem");
    }

    @Test
    void serverAcceptingTcpButSilent_isTimeoutWithinTheBound() throws Exception {
        RawServer server = raw(RawServer.Behaviour.SILENT);
        long start = System.nanoTime();

        Finding finding = probe(pki.clock).probe(server.target(pki.serverName()), pki.relay(),
                pki.trust()).finding();

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(finding.message()).contains("did not complete a TLS handshake",
                "not a certificate problem");
        assertThat(took).isLessThan(TestPki.TIMEOUT.plusSeconds(1));
    }

    private MtlsHandshakeProbe probe(Clock clock) {
        return new MtlsHandshakeProbe(new JsseTlsDialer(clock), clock, TestPki.TIMEOUT);
    }

    private OpensslServer openssl(IssuedCertificate server, List<X509Certificate> clientCas,
                                  String... options) throws Exception {
        OpensslServer started = OpensslServer.start(Files.createTempDirectory(dir, "s_server"),
                server, clientCas, options);
        servers.add(started);
        return started;
    }

    private JsseTestServer jsse(JsseTestServer.ClientAuth auth) throws Exception {
        JsseTestServer started = JsseTestServer.start(pki.cluster.server(), auth,
                JsseTestServer.trusting(pki.trust()));
        servers.add(started);
        return started;
    }

    private RawServer raw(RawServer.Behaviour behaviour) throws Exception {
        RawServer started = new RawServer(behaviour);
        servers.add(started);
        return started;
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        return dev.hubbletls.agent.tls.CertificateFacts.fingerprint(certificate);
    }
}
