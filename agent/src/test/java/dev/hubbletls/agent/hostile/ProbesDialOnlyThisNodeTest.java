package dev.hubbletls.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.demo.HubbleSocketServer;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probing targets this node's own Hubble address only: other nodes the peer service lists,
 * before or after this one, with names close to this one's, or moved while the agent runs,
 * are never dialled, and with an explicit target the socket's list is not used at all.
 * Each other node is a listener on another loopback address that counts what it accepts.
 */
class ProbesDialOnlyThisNodeTest {

    private static HostileNode hostile;

    @TempDir
    Path root;
    private Path socket;
    private final List<CountingListener> others = new ArrayList<>();

    @BeforeAll
    static void startNode() throws IOException {
        hostile = new HostileNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        hostile.close();
    }

    @BeforeEach
    void listenAsOtherNodes() throws IOException {
        socket = root.resolve("hubble.sock");
        for (String address : List.of("127.0.0.2", "127.0.0.1", "127.0.0.3", "127.0.0.4")) {
            others.add(new CountingListener(address));
        }
    }

    @AfterEach
    void stopListeners() throws IOException {
        for (CountingListener other : others) {
            other.close();
        }
    }

    @Test
    void peerListWithOtherNodes_passesDialOnlyThisNodesAddress() throws Exception {
        try (HubbleSocketServer server = HubbleSocketServer.start(socket, hostile.clock,
                peers(0));
             CheckPass pass = CheckPass.create(hostile.settings(socket,
                     hostile.node.relayFiles()), hostile.clock)) {
            List<CheckReport> reports = new ArrayList<>();
            reports.add(pass.run());
            // The other nodes move to each other's listeners while the agent runs.
            server.publish(peers(1));
            reports.add(pass.run());
            server.publish(peers(2));
            reports.add(pass.run());

            assertThat(reports).allSatisfy(ProbesDialOnlyThisNodeTest::assertHealthy);
            assertThat(others).allSatisfy(other -> assertThat(other.accepted())
                    .as("connections to %s", other.address()).isZero());
        }
    }

    @Test
    void thisNodeMissingFromThePeerList_nodeNotFound_andNobodyIsDialled() throws Exception {
        List<ChangeNotification> withoutThisNode = peers(0).stream()
                .filter(peer -> !peer.getName().equals(EmbeddedHubble.NODE)).toList();
        try (HubbleSocketServer server = HubbleSocketServer.start(socket, hostile.clock,
                withoutThisNode);
             CheckPass pass = CheckPass.create(hostile.settings(socket,
                     hostile.node.relayFiles()), hostile.clock)) {
            CheckReport report = pass.run();

            assertThat(report.finding(CheckId.DISCOVERY).orElseThrow().reason())
                    .isEqualTo(Reason.NODE_NOT_FOUND);
            assertThat(report.finding(CheckId.MTLS_HANDSHAKE).orElseThrow().reason())
                    .isEqualTo(Reason.SKIPPED);
            assertThat(others).allSatisfy(other -> assertThat(other.accepted())
                    .as("connections to %s", other.address()).isZero());
        }
    }

    @Test
    void explicitServer_dialsThatAddressOnly_evenWithOtherNodesOnTheSocket() throws Exception {
        AgentSettings explicit = new AgentSettings(socket.toString(), hostile.node.relayFiles(),
                Optional.of(EmbeddedHubble.NODE), Optional.of("127.0.0.1:" + hostile.node.port()),
                Optional.of(hostile.node.serverName()), HostileNode.PROBE_TIMEOUT,
                ExpiryThresholds.defaults(), AgentSettings.DEFAULT_INTERVAL);
        try (HubbleSocketServer server = HubbleSocketServer.start(socket, hostile.clock,
                peers(0));
             CheckPass pass = CheckPass.create(explicit, hostile.clock)) {
            CheckReport report = pass.run();

            assertHealthy(report);
            assertThat(server.openStreams()).isZero();
            assertThat(others).allSatisfy(other -> assertThat(other.accepted())
                    .as("connections to %s", other.address()).isZero());
        }
    }

    /**
     * The peer list in its {@code round}-th form: other nodes named like this one (a
     * prefix, a suffix, another cluster's node of a longer name) around this node's entry,
     * each at one of the counting listeners, shifted by {@code round}.
     */
    private List<ChangeNotification> peers(int round) {
        List<String> names = List.of("demo-node-2", "kind-control-plane", "xdemo-node",
                "prod/demo-node-1");
        List<ChangeNotification> peers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            CountingListener listener = others.get((i + round) % others.size());
            peers.add(hostile.announcement().toBuilder().setName(names.get(i))
                    .setAddress(listener.address()).build());
            if (i == 1) {
                peers.add(hostile.announcement());
            }
        }
        return peers;
    }

    private static void assertHealthy(CheckReport report) {
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.status())
                .as(finding.check() + ": " + finding.message()).isEqualTo(Status.OK));
    }

    /** A loopback listener standing in for another node's Hubble server. */
    private static final class CountingListener implements AutoCloseable {

        private final ServerSocket listener;
        private final List<Integer> peerPorts = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        CountingListener(String host) throws IOException {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            acceptor = Thread.ofPlatform().daemon().name("other-node-" + host).start(() -> {
                while (!listener.isClosed()) {
                    try (Socket connection = listener.accept()) {
                        peerPorts.add(connection.getPort());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        String address() {
            return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
        }

        /**
         * Connections accepted before a control connection made now: the kernel queues
         * connections in order, so once the control one is accepted none is still pending.
         */
        int accepted() {
            try (Socket control = new Socket(listener.getInetAddress(),
                    listener.getLocalPort())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!peerPorts.contains(control.getLocalPort())) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("control connection to " + address()
                                + " not accepted within 5 s");
                    }
                    Thread.onSpinWait();
                }
                return peerPorts.size() - 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
