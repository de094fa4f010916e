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
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import dev.hubbletls.agent.testing.OpensslServer;
import dev.hubbletls.agent.tls.KeyKind;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlaintextProbeTest {

    private static final Instant NOW = Instant.now();
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);

    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyKind.class, names = {"RSA_2048", "EC_P256"})
    void tlsServer_closesOnPlaintextPreface_refused(KeyKind kind) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", kind, NOW);
        HubbleTlsServer server = keep(HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0));

        Finding finding = new PlaintextProbe(TIMEOUT).probe(target(server.port()));

        assertThat(finding.check()).isEqualTo(CheckId.PLAINTEXT_REFUSED);
        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("refuses plaintext gRPC", "UNAVAILABLE");
    }

    @Test
    void opensslServer_refused(@TempDir Path dir) throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        OpensslServer peer = keep(OpensslServer.startQuiet(dir, pki.server(),
                List.of(pki.ca().certificate()), "-Verify", "1", "-tls1_3", "-alpn", "h2"));

        Finding finding = new PlaintextProbe(TIMEOUT).probe(target(peer.port()));

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("refuses plaintext gRPC");
    }

    @Test
    void hubbleWithTlsDisabled_answers_critical() throws Exception {
        ClusterPki pki = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        HubbleTlsServer server = keep(HubbleTlsServer.start(
                TlsServerSetup.cilium(pki).withPlaintext(true), 0));

        Finding finding = new PlaintextProbe(TIMEOUT).probe(target(server.port()));

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.PLAINTEXT_ACCEPTED);
        assertThat(finding.message()).contains("hubble-disable-tls", "anyone can read flows");
        assertThat(finding.details()).containsEntry("hubble-version", StatusService.VERSION);
    }

    @Test
    void plaintextGrpcWithoutObserver_warnsThatTlsIsNotEnforced() throws Exception {
        Server server = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new PeerGrpc.PeerImplBase() { })
                .build()
                .start();
        peers.add(() -> server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS));

        Finding finding = new PlaintextProbe(TIMEOUT).probe(target(server.getPort()));

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.PLAINTEXT_ACCEPTED);
        assertThat(finding.message()).contains("plaintext HTTP/2", "UNIMPLEMENTED");
    }

    @Test
    void closedPort_connectionRefused() throws Exception {
        Finding finding = new PlaintextProbe(TIMEOUT).probe(target(HubbleApiProbeTest
                .closedPort()));

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(finding.message()).contains("nothing listens", "cannot be told");
    }

    @Test
    void hostGrpcCannotWriteAsAnAuthority_isHostUnreachable_neverThrows() {
        ProbeTarget odd = new ProbeTarget("::1:45001", 4244,
                "kind-worker.default.hubble-grpc.cilium.io");

        Finding finding = new PlaintextProbe(TIMEOUT).probe(odd);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.HOST_UNREACHABLE);
        assertThat(finding.message()).contains("::1:45001", "not a certificate problem");
    }

    @Test
    void serverResettingEveryConnection_isNotNothingListens() throws Exception {
        RawServer server = keep(new RawServer(RawServer.Behaviour.RESET));

        Finding finding = new PlaintextProbe(TIMEOUT).probe(server.target(
                "kind-worker.default.hubble-grpc.cilium.io"));

        assertThat(finding.reason()).isNotEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(finding.message()).doesNotContain("nothing listens");
    }

    @Test
    void silentPeer_neverAnswersThePreface_refusedWithNote() throws Exception {
        ServerSocket silent = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));

        Finding finding = new PlaintextProbe(SHORT_TIMEOUT).probe(target(silent.getLocalPort()));

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.message()).contains("kept silent");
        assertThat(finding.details()).containsKey("note");
    }

    private static ProbeTarget target(int port) {
        return new ProbeTarget("127.0.0.1", port, "kind-worker.default.hubble-grpc.cilium.io");
    }

    private <T extends AutoCloseable> T keep(T peer) {
        peers.add(peer);
        return peer;
    }
}
