package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.hubbletls.agent.demo.HubbleSocketServer;
import dev.hubbletls.agent.demo.StatusService;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.NodeDiscovery.Discovery;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.TLS;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Discovery over a real unix socket, against the embedded node-local Hubble server. */
class SocketDiscoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path socket;
    private HubbleSocketServer server;
    private SocketHubbleClient client;

    @BeforeEach
    void shortSocketPath() {
        socket = dir.resolve("hubble.sock");
        // sun_path holds 108 bytes; a longer path cannot be bound at all.
        assumeThat(socket.toString().length()).as("unix socket path length").isLessThan(100);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "peer {0} at {1}, asked for {2}")
    @CsvSource({
        "kind-worker, 10.244.1.5:4244, kind-worker, 10.244.1.5, 4244",
        "kind-worker, 10.244.1.5, kind-worker, 10.244.1.5, 4244",
        "prod/worker-1, 10.0.0.1:4244, worker-1, 10.0.0.1, 4244",
        "prod/worker-1, 10.0.0.1:4244, prod/worker-1, 10.0.0.1, 4244",
        "kind-worker, '[fd00:10:244::5]:4244', kind-worker, fd00:10:244::5, 4244",
        "kind-worker, fd00:10:244::5, kind-worker, fd00:10:244::5, 4244",
    })
    void listedNode_isFound_withAddressAndVersion(String peerName, String address, String wanted,
                                                  String host, int port) throws Exception {
        String serverName = NodeName.parse(peerName).serverName();
        serve(tls("other-node", "10.244.9.9:4244"), tls(peerName, address, serverName));

        Discovery result = discover(wanted);

        assertThat(result.finding().status()).isEqualTo(Status.OK);
        assertThat(result.finding().message())
                .contains(peerName, serverName, "Hubble " + StatusService.VERSION);
        assertThat(result.peer().orElseThrow().address()).isEqualTo(new PeerAddress(host, port));
        assertThat(result.status().orElseThrow().version()).isEqualTo(StatusService.VERSION);
    }

    @Test
    void nodeNotListed_isNodeNotFound_listingTheNamesSeen() throws Exception {
        serve(tls("prod/worker-1", "10.0.0.1:4244"), tls("prod/worker-2", "10.0.0.2:4244"));

        Discovery result = discover("staging/worker-1");

        assertThat(result.finding().reason()).isEqualTo(Reason.NODE_NOT_FOUND);
        assertThat(result.finding().message())
                .contains("staging/worker-1", "prod/worker-1, prod/worker-2");
    }

    @Test
    void nodeAnnouncedWithAnInvalidPort_isNodeNotFound_namingTheAddress() throws Exception {
        serve(tls("kind-worker", "10.244.1.5:99999"));

        Discovery result = discover("kind-worker");

        assertThat(result.finding().status()).isEqualTo(Status.ERROR);
        assertThat(result.finding().reason()).isEqualTo(Reason.NODE_NOT_FOUND);
        assertThat(result.finding().message()).contains("kind-worker", "10.244.1.5:99999",
                "port 99999").doesNotContain("socket cannot");
        assertThat(result.peer()).isEmpty();
    }

    @Test
    void peerWithoutTls_isTlsDisabled_withThePeerReturned() throws Exception {
        serve(ChangeNotification.newBuilder().setName("kind-worker")
                .setAddress("10.244.1.5:4244").build());

        Discovery result = discover("kind-worker");

        assertThat(result.finding().status()).isEqualTo(Status.CRITICAL);
        assertThat(result.finding().reason()).isEqualTo(Reason.TLS_DISABLED);
        assertThat(result.peer().orElseThrow().tlsServerName()).isEmpty();
    }

    @Test
    void renameDuringSearch_deletedPeerIsDropped_andTheNewNameIsFound() throws Exception {
        serve(tls("worker-1", "10.0.0.1"), tls("worker-3-old", "10.0.0.3"));
        client = SocketHubbleClient.open(socket, Duration.ofSeconds(5));
        CompletableFuture<PeerSearch> search = searchInBackground("worker-3");
        awaitOpenStream();

        server.publish(List.of(tls("worker-1", "10.0.0.1"), tls("worker-3", "10.0.0.3")));

        PeerSearch result = search.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(result.peer().orElseThrow().name()).isEqualTo("worker-3");
        assertThat(result.namesSeen()).containsExactly("worker-1", "worker-3");
    }

    @Test
    void peerDeletedDuringSearch_isGoneFromTheNamesSeen() throws Exception {
        serve(tls("worker-1", "10.0.0.1"), tls("worker-2", "10.0.0.2"));
        client = SocketHubbleClient.open(socket, Duration.ofMillis(1500));
        CompletableFuture<PeerSearch> search = searchInBackground("worker-9");
        awaitOpenStream();

        server.publish(List.of(tls("worker-1", "10.0.0.1")));

        PeerSearch result = search.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(result.peer()).isEmpty();
        assertThat(result.namesSeen()).containsExactly("worker-1");
    }

    @Test
    void searchEnded_cancelsTheNotifyStream() throws Exception {
        serve(tls("worker-1", "10.0.0.1"));
        client = SocketHubbleClient.open(socket.toString());

        client.findPeer("worker-1", TIMEOUT);

        awaitOpenStreams(0);
    }

    @Test
    void socketMissing_isUnreachable_askingWhetherCiliumRunsAndTheDirectoryIsMounted() {
        Discovery result = discover("kind-worker");

        assertUnreachable(result, "does not exist", "enable-hubble=true",
                "/var/run/cilium must be mounted at " + socket.getParent()
                        + ", the directory of --socket");
    }

    @Test
    void pathIsRegularFile_isUnreachable_sayingSo() throws Exception {
        Files.writeString(socket, "not a socket");

        assertUnreachable(discover("kind-worker"), "is a regular file", "hubble-socket-path");
    }

    @Test
    void pathIsDirectory_isUnreachable_explainingTheHostPathTrap() throws Exception {
        Files.createDirectory(socket);

        assertUnreachable(discover("kind-worker"), "is a directory", "hostPath",
                "mount the directory /var/run/cilium");
    }

    @Test
    void socketWithoutPermission_isUnreachable_namingSupplementalGroups() throws Exception {
        serve(tls("kind-worker", "10.244.1.5"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isWritable(socket))
                .as("root bypasses file permissions, so a mode 000 socket stays reachable;"
                        + " this case needs a non-root user")
                .isFalse();

        assertUnreachable(discover("kind-worker"), "permission denied", "mode ---------",
                "supplementalGroups", "or as root");
    }

    @Test
    void staleSocketNobodyListensOn_isUnreachable_connectionRefused() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
        }

        assertUnreachable(discover("kind-worker"), "connection refused", "cilium-agent");
    }

    @Test
    void serverThatAcceptsButNeverAnswers_timesOutWithinTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(800);
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // The kernel completes connections into the backlog; nobody reads or answers.
            silent.bind(UnixDomainSocketAddress.of(socket));
            client = SocketHubbleClient.open(socket.toString());
            long started = System.nanoTime();

            Discovery result = new NodeDiscovery(client, timeout).discover("kind-worker");

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertUnreachable(result, "did not answer", "800 ms");
            assertThat(result.finding().details()).containsEntry("problem", "timeout");
            assertThat(took).isBetween(timeout.minusMillis(50), timeout.plusSeconds(1));
        }
    }

    private Discovery discover(String nodeName) {
        if (client == null) {
            client = SocketHubbleClient.open("unix://" + socket);
        }
        return new NodeDiscovery(client, TIMEOUT).discover(nodeName);
    }

    private CompletableFuture<PeerSearch> searchInBackground(String nodeName) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.findPeer(nodeName, TIMEOUT);
            } catch (HubbleException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitOpenStream() throws InterruptedException {
        awaitOpenStreams(1);
    }

    private void awaitOpenStreams(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.openStreams() != count) {
            assertThat(System.nanoTime() - deadline).as("open Notify streams").isNegative();
            Thread.sleep(5);
        }
    }

    private void serve(ChangeNotification... peers) throws Exception {
        server = HubbleSocketServer.start(socket, CLOCK, List.of(peers));
    }

    private static void assertUnreachable(Discovery result, String... messageParts) {
        assertThat(result.finding().status()).isEqualTo(Status.ERROR);
        assertThat(result.finding().reason()).isEqualTo(Reason.SOCKET_UNREACHABLE);
        assertThat(result.finding().message()).contains(messageParts);
        assertThat(result.peer()).isEmpty();
    }

    private static ChangeNotification tls(String name, String address) {
        return tls(name, address, NodeName.parse(name).serverName());
    }

    private static ChangeNotification tls(String name, String address, String serverName) {
        return ChangeNotification.newBuilder().setName(name).setAddress(address)
                .setTls(TLS.newBuilder().setServerName(serverName)).build();
    }
}
