package dev.hubbletls.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.hubble.ServerStatus;
import dev.hubbletls.agent.hubble.SocketHubbleClient;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotificationType;
import dev.hubbletls.agent.hubble.proto.peer.NotifyRequest;
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import dev.hubbletls.agent.hubble.proto.peer.TLS;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubbleSocketServerTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void notify_listsEveryPeerAsAdded_thenStreamsTheDifferenceOfEachPublish() throws Exception {
        HubbleSocketServer server =
                start(peer("worker-1", "10.0.0.1"), peer("worker-2", "10.0.0.2"));
        Iterator<ChangeNotification> stream = notifyStream(server);
        List<String> seen = new ArrayList<>(List.of(line(stream.next()), line(stream.next())));

        server.publish(List.of(peer("worker-1", "10.0.0.9"), peer("worker-3", "10.0.0.3")));
        seen.addAll(List.of(line(stream.next()), line(stream.next()), line(stream.next())));

        assertThat(seen).containsExactly(
                "PEER_ADDED worker-1 10.0.0.1", "PEER_ADDED worker-2 10.0.0.2",
                "PEER_DELETED worker-2 10.0.0.2",
                "PEER_UPDATED worker-1 10.0.0.9", "PEER_ADDED worker-3 10.0.0.3");
    }

    @Test
    void serverStatus_reportsTheEmbeddedVersion() throws Exception {
        HubbleSocketServer server = start(peer("worker-1", "10.0.0.1"));
        SocketHubbleClient client = SocketHubbleClient.open(server.socketPath().toString());
        toClose.add(client);

        ServerStatus status = client.serverStatus(Duration.ofSeconds(3));

        assertThat(status.version()).isEqualTo(StatusService.VERSION);
        assertThat(status.maxFlows()).isPositive();
    }

    @Test
    void close_endsOpenStreamsAndRemovesTheSocket() throws Exception {
        Path socket = dir.resolve("hubble.sock");
        HubbleSocketServer server = HubbleSocketServer.start(socket, CLOCK,
                List.of(peer("worker-1", "10.0.0.1")));
        Iterator<ChangeNotification> stream = notifyStream(server);
        stream.next();

        server.close();

        assertThatThrownBy(stream::hasNext).isInstanceOf(StatusRuntimeException.class);
        assertThat(socket).doesNotExist();
    }

    @Test
    void start_replacesAStaleSocket_butRefusesARegularFile() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(stale));
        }
        Path file = Files.writeString(dir.resolve("file.sock"), "data");

        toClose.add(HubbleSocketServer.start(stale, CLOCK, List.of()));

        assertThatThrownBy(() -> HubbleSocketServer.start(file, CLOCK, List.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a stale socket");
        assertThat(file).hasContent("data");
    }

    private HubbleSocketServer start(ChangeNotification... peers) throws IOException {
        HubbleSocketServer server =
                HubbleSocketServer.start(dir.resolve("hubble.sock"), CLOCK, List.of(peers));
        toClose.add(server);
        return server;
    }

    private Iterator<ChangeNotification> notifyStream(HubbleSocketServer server) {
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(
                "unix://" + server.socketPath(), InsecureChannelCredentials.create());
        ((NettyChannelBuilder) builder).withOption(ChannelOption.SO_KEEPALIVE, null);
        ManagedChannel channel = builder.build();
        toClose.add(() -> channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS));
        return PeerGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .notify(NotifyRequest.getDefaultInstance());
    }

    private static String line(ChangeNotification change) {
        return change.getType() + " " + change.getName() + " " + change.getAddress();
    }

    private static ChangeNotification peer(String name, String address) {
        return ChangeNotification.newBuilder().setName(name).setAddress(address)
                .setTls(TLS.newBuilder().setServerName(name + ".default.hubble-grpc.cilium.io"))
                .setType(ChangeNotificationType.UNKNOWN).build();
    }
}
