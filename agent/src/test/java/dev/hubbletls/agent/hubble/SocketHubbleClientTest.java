package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.demo.StatusService;
import dev.hubbletls.agent.hubble.HubbleException.Kind;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SocketHubbleClientTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "/var/run/cilium/hubble.sock, /var/run/cilium/hubble.sock",
        "unix:///var/run/cilium/hubble.sock, /var/run/cilium/hubble.sock",
        "unix:/var/run/cilium/hubble.sock, /var/run/cilium/hubble.sock",
    })
    void socketPath_acceptsAPathOrAUnixUri(String value, String path) {
        assertThat(SocketHubbleClient.socketPath(value)).isEqualTo(Path.of(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "unix://var/run/cilium/hubble.sock", "unix:", "unix:///a b"})
    void socketPath_refusesWhatIsNeither_namingTheValue(String value) {
        assertThatThrownBy(() -> SocketHubbleClient.socketPath(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Hubble socket");
    }

    @Test
    void grpcServerWithoutPeerService_isProtocolProblem_sayingItIsNotHubblesSocket()
            throws Exception {
        Path socket = dir.resolve("other.sock");
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Server other = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .addService(new StatusService(Clock.systemUTC()))
                .build().start();
        try (SocketHubbleClient client = SocketHubbleClient.open(socket.toString())) {
            assertThatThrownBy(() -> client.findPeer("kind-worker", Duration.ofSeconds(3)))
                    .isInstanceOfSatisfying(HubbleException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(failure.getMessage()).contains(socket.toString(),
                                "does not implement peer.Peer/Notify", "hubble-socket-path");
                    });
        } finally {
            other.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(2000);
        }
    }
}
