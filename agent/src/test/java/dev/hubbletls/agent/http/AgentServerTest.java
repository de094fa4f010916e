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
import org.junit.jupiter.api.Test;

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

            assertThatThrownBy(() -> AgentServer.start(settings, endpoints()))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("invalid setting http.port=127.0.0.1:"
                            + taken.getLocalPort() + ": cannot listen there");
        }
    }

    @Test
    void portInUse_isFoundBeforeTheServerIsBuilt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpSettings settings = new HttpSettings("127.0.0.1", taken.getLocalPort());

            assertThatThrownBy(() -> AgentServer.requireListenable(settings))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("invalid setting http.port=127.0.0.1:"
                            + taken.getLocalPort() + ": cannot listen there");
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

    @Test
    void hostNameThatDoesNotResolve_stopsStartUpNamingIt() {
        HttpSettings settings = new HttpSettings("no-such-host.invalid", 0);

        assertThatThrownBy(() -> AgentServer.start(settings, endpoints()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting http.port=no-such-host.invalid:0:"
                        + " cannot listen there");
    }

    @Test
    void addressNotOnThisMachine_stopsStartUpNamingIt() {
        HttpSettings settings = new HttpSettings("203.0.113.5", 0);

        assertThatThrownBy(() -> AgentServer.start(settings, endpoints()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting http.port=203.0.113.5:0: cannot listen"
                        + " there");
    }
}
