package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.HubbleTlsServer;
import dev.hubbletls.agent.demo.StatusService;
import dev.hubbletls.agent.demo.TlsServerSetup;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.proto.observer.ObserverGrpc;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusRequest;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HubbleApiProbeTest {

    private static final Instant NOW = Instant.now();
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    // For peers that stay silent: the probe has to wait its whole timeout there.
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    // Silence after a handshake proves "not gRPC" only when it lasts half the timeout; a
    // cold JVM on a busy machine can spend half a second on the first handshake.
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(2);

    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyKind.class, names = {"RSA_2048", "EC_P256"})
    void ciliumServer_relayIdentity_okWithVersionUptimeAndFlows(KeyKind kind) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, NOW);
        HubbleTlsServer server = keep(HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0));

        Finding finding = probe(TIMEOUT, pki, server.port());

        assertThat(finding.check()).isEqualTo(CheckId.HUBBLE_API);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("version " + StatusService.VERSION,
                "4095 of 4095 flows");
        assertThat(finding.details()).containsKeys("uptime", "seen-flows", "tls-cipher");
    }

    @ParameterizedTest
    @EnumSource(value = KeyKind.class, names = {"RSA_2048", "EC_P256"})
    void opensslServer_completesTlsButSpeaksNoHttp2_notHubbleApi(KeyKind kind,
                                                                 @TempDir Path dir)
            throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, NOW);
        OpensslServer peer = keep(OpensslServer.startQuiet(dir, pki.server(),
                List.of(pki.ca().certificate()), "-Verify", "1", "-tls1_3", "-alpn", "h2"));

        Finding finding = probe(SILENCE_TIMEOUT, pki, peer.port());

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.NOT_HUBBLE_API);
        assertThat(finding.message()).contains("completed TLS with ALPN h2", "no HTTP/2",
                "not a gRPC server");
        assertThat(finding.details()).containsEntry("alpn", "h2")
                .hasEntrySatisfying("grpc-status", s -> assertThat(s)
                        .startsWith("DEADLINE_EXCEEDED"));
    }

    @Test
    void opensslServerWithoutAlpn_notHubbleApiNamingAlpn(@TempDir Path dir) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        OpensslServer peer = keep(OpensslServer.startQuiet(dir, pki.server(),
                List.of(pki.ca().certificate()), "-Verify", "1", "-tls1_3"));

        Finding finding = probe(TIMEOUT, pki, peer.port());

        assertThat(finding.reason()).isEqualTo(Reason.NOT_HUBBLE_API);
        assertThat(finding.message()).contains("no ALPN protocol", "Failed ALPN negotiation");
    }

    @Test
    void grpcServerWithoutObserver_unimplemented_notHubbleApi() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        int port = startTlsGrpc(pki, new PeerGrpc.PeerImplBase() { });

        Finding finding = probe(TIMEOUT, pki, port);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.NOT_HUBBLE_API);
        assertThat(finding.message()).contains("UNIMPLEMENTED", "another gRPC service");
    }

    @Test
    void observerThatNeverAnswers_timeoutAfterHttp2() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        int port = startTlsGrpc(pki, new ObserverGrpc.ObserverImplBase() {
            @Override
            public void serverStatus(ServerStatusRequest request,
                                     StreamObserver<ServerStatusResponse> response) {
                // Never answers, like a stuck Hubble.
            }
        });

        Finding finding = probe(SILENCE_TIMEOUT, pki, port);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(finding.message()).contains("speaks gRPC over TLS", "did not answer");
    }

    @Test
    void handshakeCompletedJustBeforeDeadline_silence_timeoutNotNotHubble() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        SSLServerSocket listener = keep(jsseServer(pki, Duration.ofMillis(1100), false));

        Finding finding = probe(SILENCE_TIMEOUT, pki, listener.getLocalPort());

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(finding.message()).contains("completed TLS only", "too slow to tell");
    }

    @Test
    void closedRightAfterHandshake_likeAClientCertRejection_skippedPointingToHandshake()
            throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        SSLServerSocket listener = keep(jsseServer(pki, Duration.ZERO, true));

        Finding finding = probe(TIMEOUT, pki, listener.getLocalPort());

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(finding.message()).contains("closed the connection right after the TLS"
                + " handshake", "mtls-handshake");
    }

    @Test
    void closedPort_connectionRefused_notACertificateProblem() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);

        Finding finding = probe(TIMEOUT, pki, closedPort());

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(finding.message()).contains("nothing listens", "not a certificate problem");
    }

    @Test
    void hostGrpcCannotWriteAsAnAuthority_isHostUnreachable_neverThrows() {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ProbeTarget odd = new ProbeTarget("::1:45001", 4244, pki.serverName("kind-worker"));

        Finding finding = new HubbleApiProbe(TIMEOUT).probe(odd,
                ClientIdentity.of(pki.relayClient()), List.of(pki.ca().certificate()));

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.HOST_UNREACHABLE);
        assertThat(finding.message()).contains("::1:45001", "not a certificate problem");
    }

    @Test
    void silentTcpPeer_noHandshake_timeout() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ServerSocket silent = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));

        Finding finding = probe(SHORT_TIMEOUT, pki, silent.getLocalPort());

        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(finding.message()).contains("no TLS handshake completed");
    }

    @Test
    void serverCertificateForAnotherCluster_tlsFailed_skipped() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        IssuedCertificate otherCluster = CertificateMint.issue(
                ClusterPki.serverSpec("prod.eu", NOW).withKeyKind(KeyKind.EC_P256), pki.ca());
        HubbleTlsServer server = keep(HubbleTlsServer.start(
                TlsServerSetup.cilium(pki).withServerCertificate(otherCluster), 0));

        Finding finding = probe(TIMEOUT, pki, server.port());

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(finding.message()).contains("TLS failed", "mtls-handshake",
                "kind-worker.default.hubble-grpc.cilium.io");
    }

    @Test
    void emptyCaBundle_skippedWithoutDialling() {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ProbeTarget target = new ProbeTarget("127.0.0.1", 4244, pki.serverName("kind-worker"));

        Finding finding = new HubbleApiProbe(TIMEOUT)
                .probe(target, ClientIdentity.of(pki.relayClient()), List.of());

        assertThat(finding.reason()).isEqualTo(Reason.SKIPPED);
        assertThat(finding.message()).contains("CA bundle is empty", "ca-certificate");
    }

    private Finding probe(Duration timeout, ClusterPki pki, int port) {
        ProbeTarget target = new ProbeTarget("127.0.0.1", port, pki.serverName("kind-worker"));
        return new HubbleApiProbe(timeout).probe(target, ClientIdentity.of(pki.relayClient()),
                List.of(pki.ca().certificate()));
    }

    private int startTlsGrpc(ClusterPki pki, BindableService service) throws Exception {
        IssuedCertificate cert = pki.server();
        Server server = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(
                                cert.privateKey(), cert.withChain()), SslProvider.JDK)
                        .protocols("TLSv1.3")
                        .clientAuth(ClientAuth.REQUIRE)
                        .trustManager(pki.ca().certificate())
                        .build())
                .addService(service)
                .build()
                .start();
        peers.add(() -> server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS));
        return server.getPort();
    }

    // A JSSE TLS 1.3 server with ALPN h2 that lets the ClientHello wait for {@code delay},
    // completes the handshake, never writes a byte, and hangs up on the first byte it reads
    // or waits for the client to leave.
    private SSLServerSocket jsseServer(ClusterPki pki, Duration delay, boolean hangUp)
            throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pki.server().privateKey(), new char[0],
                pki.server().withChain().toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        listener.setSSLParameters(parameters);
        Thread.ofVirtual().start(() -> serveOnce(listener, delay, hangUp));
        return listener;
    }

    private static void serveOnce(SSLServerSocket listener, Duration delay, boolean hangUp) {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            Thread.sleep(delay);
            socket.startHandshake();
            if (hangUp) {
                socket.getInputStream().read();
            } else {
                socket.getInputStream().readAllBytes();
            }
        } catch (IOException | InterruptedException e) {
            // The test closed the listener or the probe hung up: the peer's work is done.
        }
    }

    private <T extends AutoCloseable> T keep(T peer) {
        peers.add(peer);
        return peer;
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
