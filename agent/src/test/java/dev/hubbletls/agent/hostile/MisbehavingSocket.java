package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.demo.StatusService;
import dev.hubbletls.agent.hubble.proto.observer.ObserverGrpc;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusRequest;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotificationType;
import dev.hubbletls.agent.hubble.proto.peer.NotifyRequest;
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node-local Hubble socket that misbehaves on request: its Notify stream can fail or end
 * after listing other nodes, or never speak, and its ServerStatus can hang. Switched between
 * passes with {@link #notify(NotifyMode)} and {@link #status(StatusMode)}.
 */
final class MisbehavingSocket implements AutoCloseable {

    /** How peer.Peer/Notify answers. */
    enum NotifyMode {
        /** Every peer, then an open stream, as Cilium does. */
        HEALTHY,
        /** The other peers, then the call fails with UNAVAILABLE. */
        FAILS_MIDWAY,
        /** The other peers, then the server ends the stream. */
        ENDS_MIDWAY,
        /** Nothing at all; the stream stays open. */
        SILENT
    }

    /** How observer.Observer/ServerStatus answers. */
    enum StatusMode { HEALTHY, HANGS }

    private final Server server;
    private final EventLoopGroup loop;
    private final Path path;
    private final AtomicInteger notifyCalls = new AtomicInteger();
    private volatile NotifyMode notifyMode = NotifyMode.HEALTHY;
    private volatile StatusMode statusMode = StatusMode.HEALTHY;

    private MisbehavingSocket(Path path, List<ChangeNotification> peers, String thisNode)
            throws IOException {
        this.path = path;
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        StatusService healthyStatus = new StatusService(Clock.systemUTC());
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .addService(new PeerGrpc.PeerImplBase() {
                    @Override
                    public void notify(NotifyRequest request,
                                       StreamObserver<ChangeNotification> response) {
                        notifyCalls.incrementAndGet();
                        answerNotify(peers, thisNode, response);
                    }
                })
                .addService(new ObserverGrpc.ObserverImplBase() {
                    @Override
                    public void serverStatus(ServerStatusRequest request,
                                             StreamObserver<ServerStatusResponse> response) {
                        if (statusMode == StatusMode.HEALTHY) {
                            healthyStatus.serverStatus(request, response);
                        }
                    }
                })
                .build()
                .start();
    }

    /** Serves {@code peers} on {@code path}; {@code thisNode} is the one a mode withholds. */
    static MisbehavingSocket start(Path path, List<ChangeNotification> peers, String thisNode)
            throws IOException {
        return new MisbehavingSocket(path, peers, thisNode);
    }

    void notify(NotifyMode mode) {
        notifyMode = mode;
    }

    void status(StatusMode mode) {
        statusMode = mode;
    }

    int notifyCalls() {
        return notifyCalls.get();
    }

    private void answerNotify(List<ChangeNotification> peers, String thisNode,
                              StreamObserver<ChangeNotification> response) {
        NotifyMode mode = notifyMode;
        if (mode == NotifyMode.SILENT) {
            return;
        }
        for (ChangeNotification peer : peers) {
            if (mode == NotifyMode.HEALTHY || !peer.getName().equals(thisNode)) {
                response.onNext(peer.toBuilder().setType(ChangeNotificationType.PEER_ADDED)
                        .build());
            }
        }
        switch (mode) {
            case FAILS_MIDWAY -> response.onError(Status.UNAVAILABLE
                    .withDescription("cilium-agent is restarting").asRuntimeException());
            case ENDS_MIDWAY -> response.onCompleted();
            default -> {
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(2000);
        Files.deleteIfExists(path);
    }
}
