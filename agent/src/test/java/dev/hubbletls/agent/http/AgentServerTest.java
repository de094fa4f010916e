package dev.hubbletls.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.config.HttpSettings;
import dev.hubbletls.agent.config.InvalidSettingException;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentServerTest {

    private static final MutableClock CLOCK =
            new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));

    private static AgentEndpoints endpoints() {
        return new AgentEndpoints(new PassHeartbeat(CLOCK, Duration.ofSeconds(60),
                Duration.ofSeconds(200)), List::of, MetricsText.NONE,
                ExpiryThresholds.defaults(), CLOCK);
    }

    @Test
    void portInUse_stopsStartUpNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpSettings settings = new HttpSettings("127.0.0.1", taken.getLocalPort());

            assertCannotListen(() -> AgentServer.start(settings, endpoints()), settings);
        }
    }

    @Test
    void portInUse_isFoundBeforeTheServerIsBuilt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpSettings settings = new HttpSettings("127.0.0.1", taken.getLocalPort());

            assertCannotListen(() -> AgentServer.requireListenable(settings), settings);
        }
    }

    @Test
    void freePort_isListenable_andLeftFree() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        HttpSettings settings = new HttpSettings("127.0.0.1", port);

        assertThatCode(() -> AgentServer.requireListenable(settings)).doesNotThrowAnyException();
        try (AgentServer server = AgentServer.start(settings, endpoints())) {
            assertThat(server.port()).isEqualTo(port);
        }
    }

    // A name that does not resolve, and an address of TEST-NET-3 that is on no machine.
    @ParameterizedTest
    @ValueSource(strings = {"no-such-host.invalid", "203.0.113.5"})
    void hostThatCannotBeListenedOn_stopsStartUpNamingIt(String host) {
        HttpSettings settings = new HttpSettings(host, 0);

        assertCannotListen(() -> AgentServer.start(settings, endpoints()), settings);
    }

    private static void assertCannotListen(ThrowingCallable start, HttpSettings settings) {
        assertThatThrownBy(start).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting http.port=" + settings.host() + ":"
                        + settings.port() + ": cannot listen there");
    }
}
