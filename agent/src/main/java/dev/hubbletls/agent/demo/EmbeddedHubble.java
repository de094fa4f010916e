package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotificationType;
import dev.hubbletls.agent.hubble.proto.peer.TLS;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A Hubble-like node in one process: a PKI made the way Helm makes it, the relay's
 * projected volume in a temporary directory, the node-local socket serving Notify and
 * ServerStatus, and the TLS endpoint requiring client certificates on a loopback port.
 * Faults are switched on and off with its methods; {@link #close()} removes everything.
 */
public final class EmbeddedHubble implements AutoCloseable {

    /** The node the embedded server announces itself as. */
    public static final String NODE = "demo-node";
    private static final String CLUSTER = "default";

    private final Path root;
    private final ClusterPki pki;
    private final ProjectedVolume relayVolume;
    private final HubbleTlsServer tlsServer;
    private final HubbleSocketServer socketServer;

    private EmbeddedHubble(Path root, ClusterPki pki, ProjectedVolume relayVolume,
                           HubbleTlsServer tlsServer, HubbleSocketServer socketServer) {
        this.root = root;
        this.pki = pki;
        this.relayVolume = relayVolume;
        this.tlsServer = tlsServer;
        this.socketServer = socketServer;
    }

    /** Starts a healthy node with keys of {@code keyKind}, judged by {@code clock}. */
    public static EmbeddedHubble start(Clock clock, KeyKind keyKind) throws IOException {
        Path root = Files.createTempDirectory("hubble-tls-demo");
        ClusterPki pki = ClusterPki.mint(CLUSTER, keyKind, clock.instant());
        ProjectedVolume volume = new ProjectedVolume(root.resolve("relay-tls"), clock);
        volume.publish(pki.relayClientFiles());
        HubbleTlsServer tls = HubbleTlsServer.start(TlsServerSetup.cilium(pki), 0, clock);
        HubbleSocketServer socket = HubbleSocketServer.start(root.resolve("hubble.sock"), clock,
                List.of(announcement(pki, tls.port(), true)));
        return new EmbeddedHubble(root, pki, volume, tls, socket);
    }

    /** The node-local socket. */
    public Path socketPath() {
        return socketServer.socketPath();
    }

    /** The relay's client material, laid out as kubelet lays out a projected volume. */
    public TlsFiles relayFiles() {
        return TlsFiles.relayLayout(relayVolume.directory());
    }

    /** The relay's projected volume, to rotate its files. */
    public ProjectedVolume relayVolume() {
        return relayVolume;
    }

    /** The PKI the node was started with. */
    public ClusterPki pki() {
        return pki;
    }

    /** The TLS endpoint's port on 127.0.0.1. */
    public int port() {
        return tlsServer.port();
    }

    /** The server name the node announces. */
    public String serverName() {
        return pki.serverName(NODE);
    }

    /** Serves another certificate from the next handshake on, as Cilium's hot reload does. */
    public void serveCertificate(IssuedCertificate certificate) {
        tlsServer.serveCertificate(certificate);
    }

    /** Restarts the TLS endpoint with another setup, on the same port. */
    public void reconfigure(TlsServerSetup setup) throws IOException {
        tlsServer.reconfigure(setup);
        socketServer.publish(List.of(announcement(pki, port(), !setup.plaintext())));
    }

    /** The setup the TLS endpoint runs with now. */
    public TlsServerSetup setup() {
        return tlsServer.setup();
    }

    /** Back to the healthy setup and certificate the node started with. */
    public void restoreHealthy() throws IOException {
        TlsServerSetup healthy = TlsServerSetup.cilium(pki);
        if (!setup().equals(healthy)) {
            reconfigure(healthy);
        }
        serveCertificate(pki.server());
    }

    // Cilium 1.16+ announces IP:port; a node serving without TLS sends no tls field.
    private static ChangeNotification announcement(ClusterPki pki, int port, boolean tls) {
        ChangeNotification.Builder peer = ChangeNotification.newBuilder()
                .setName(NODE)
                .setAddress("127.0.0.1:" + port)
                .setType(ChangeNotificationType.PEER_ADDED);
        if (tls) {
            peer.setTls(TLS.newBuilder().setServerName(pki.serverName(NODE)));
        }
        return peer.build();
    }

    @Override
    public void close() throws IOException {
        try (socketServer; tlsServer) {
            relayVolume.delete();
        } finally {
            Files.deleteIfExists(root.resolve("hubble.sock"));
            Files.deleteIfExists(root);
        }
    }
}
