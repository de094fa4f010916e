package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotificationType;
import dev.hubbletls.agent.hubble.proto.peer.NotifyRequest;
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The node-local side of an embedded Hubble: plain gRPC on a unix socket serving
 * {@code peer.Peer/Notify} from a list the caller can change, and
 * {@code observer.Observer/ServerStatus}.
 */
public final class HubbleSocketServer implements AutoCloseable {

    private static final Duration STOP_BOUND = Duration.ofSeconds(2);
    private static final Set<PosixFilePermission> SOCKET_MODE =
            PosixFilePermissions.fromString("rw-rw----");

    private final Path socketPath;
    private final Server server;
    private final List<EventLoopGroup> loops;
    private final PeerService peers;

    private HubbleSocketServer(Path socketPath, Server server, List<EventLoopGroup> loops,
                               PeerService peers) {
        this.socketPath = socketPath;
        this.server = server;
        this.loops = loops;
        this.peers = peers;
    }

    /**
     * Listens on {@code socketPath} (mode 0660, as Cilium's), replacing a stale socket there.
     *
     * @throws IllegalStateException when netty's native epoll transport cannot load, since
     *                               unix sockets need it
     * @throws IOException           when the path holds a file or directory, or bind fails
     */
    public static HubbleSocketServer start(Path socketPath, Clock clock,
                                           List<ChangeNotification> peers) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("cannot serve the Hubble socket " + socketPath
                    + ": unix sockets need netty's native epoll transport (Linux x86_64 or"
                    + " aarch64), which did not load", Epoll.unavailabilityCause());
        }
        removeStaleSocket(socketPath);
        PeerService peerService = new PeerService(peers);
        List<EventLoopGroup> loops = List.of(
                new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()),
                new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()));
        Server server = server(socketPath, loops, new StatusService(clock), peerService);
        try {
            server.start();
            Files.setPosixFilePermissions(socketPath, SOCKET_MODE);
        } catch (IOException e) {
            server.shutdownNow();
            stopLoops(loops);
            throw new IOException("cannot serve the Hubble socket " + socketPath + ": "
                    + e.getMessage(), e);
        }
        return new HubbleSocketServer(socketPath, server, loops, peerService);
    }

    private static Server server(Path socketPath, List<EventLoopGroup> loops,
                                 StatusService status, PeerService peers) {
        return NettyServerBuilder.forAddress(new DomainSocketAddress(socketPath.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                // gRPC asks for TCP keepalive on every connection; unix sockets have none.
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .bossEventLoopGroup(loops.get(0))
                .workerEventLoopGroup(loops.get(1))
                .addService(status)
                .addService(peers)
                .build();
    }

    /** The socket this server listens on. */
    public Path socketPath() {
        return socketPath;
    }

    /**
     * Replaces the peer list and streams the difference to every open Notify call: removed
     * names as PEER_DELETED first (so a rename reads as delete then add, as in Cilium), then
     * new names as PEER_ADDED and changed ones as PEER_UPDATED.
     */
    public void publish(List<ChangeNotification> peerList) {
        peers.publish(peerList);
    }

    /** How many Notify streams are open, so a test can change the list while one listens. */
    public int openStreams() {
        return peers.openStreams();
    }

    /** Stops serving within about four seconds, ending open streams, and removes the socket. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopLoops(loops);
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the Hubble socket " + socketPath, e);
        }
    }

    // Cilium removes a socket left by a previous run before it binds; anything else at the
    // path is someone else's file and is left alone.
    private static void removeStaleSocket(Path socketPath) throws IOException {
        if (!Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(socketPath, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(socketPath, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(socketPath)) {
            throw new IOException("cannot serve the Hubble socket " + socketPath
                    + ": the path holds a file or directory, not a stale socket");
        }
        Files.delete(socketPath);
    }

    private static void stopLoops(List<EventLoopGroup> loops) {
        for (EventLoopGroup loop : loops) {
            loop.shutdownGracefully(0, STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (EventLoopGroup loop : loops) {
            loop.terminationFuture().awaitUninterruptibly(STOP_BOUND.toMillis());
        }
    }

    /** Cilium's peer service: the whole list as PEER_ADDED on connect, then changes. */
    private static final class PeerService extends PeerGrpc.PeerImplBase {

        // Guards the list and the open streams, and serialises writes to each stream.
        private final Object lock = new Object();
        private final List<ServerCallStreamObserver<ChangeNotification>> streams =
                new ArrayList<>();
        private Map<String, ChangeNotification> current;

        PeerService(List<ChangeNotification> peers) {
            current = byName(peers);
        }

        @Override
        public void notify(NotifyRequest request, StreamObserver<ChangeNotification> response) {
            ServerCallStreamObserver<ChangeNotification> stream =
                    (ServerCallStreamObserver<ChangeNotification>) response;
            synchronized (lock) {
                stream.setOnCancelHandler(() -> forget(stream));
                for (ChangeNotification peer : current.values()) {
                    stream.onNext(typed(peer, ChangeNotificationType.PEER_ADDED));
                }
                streams.add(stream);
            }
        }

        void publish(List<ChangeNotification> peers) {
            synchronized (lock) {
                Map<String, ChangeNotification> next = byName(peers);
                List<ChangeNotification> changes = changes(current, next);
                current = next;
                for (ServerCallStreamObserver<ChangeNotification> stream : streams) {
                    changes.forEach(stream::onNext);
                }
            }
        }

        int openStreams() {
            synchronized (lock) {
                return streams.size();
            }
        }

        private void forget(ServerCallStreamObserver<ChangeNotification> stream) {
            synchronized (lock) {
                streams.remove(stream);
            }
        }

        private static List<ChangeNotification> changes(Map<String, ChangeNotification> before,
                                                        Map<String, ChangeNotification> after) {
            List<ChangeNotification> changes = new ArrayList<>();
            before.forEach((name, peer) -> {
                if (!after.containsKey(name)) {
                    changes.add(typed(peer, ChangeNotificationType.PEER_DELETED));
                }
            });
            after.forEach((name, peer) -> {
                ChangeNotification old = before.get(name);
                if (old == null) {
                    changes.add(typed(peer, ChangeNotificationType.PEER_ADDED));
                } else if (!old.equals(peer)) {
                    changes.add(typed(peer, ChangeNotificationType.PEER_UPDATED));
                }
            });
            return changes;
        }

        private static Map<String, ChangeNotification> byName(List<ChangeNotification> peers) {
            Map<String, ChangeNotification> byName = new LinkedHashMap<>();
            for (ChangeNotification peer : peers) {
                Objects.requireNonNull(peer, "peer");
                byName.put(peer.getName(), typed(peer, ChangeNotificationType.UNKNOWN));
            }
            return byName;
        }

        private static ChangeNotification typed(ChangeNotification peer,
                                                ChangeNotificationType type) {
            return peer.toBuilder().setType(type).build();
        }
    }
}
