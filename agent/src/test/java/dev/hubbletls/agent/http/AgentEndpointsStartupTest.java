package dev.hubbletls.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoints of an agent whose first pass has not finished, and that never starts one. */
@ServerTest
class AgentEndpointsStartupTest {

    private static final MutableClock CLOCK =
            new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    private static final Duration BOUND = Duration.ofSeconds(200);

    private final Http1Client client;

    AgentEndpointsStartupTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        new AgentEndpoints(new PassHeartbeat(CLOCK, Duration.ofSeconds(60), BOUND), List::of,
                MetricsText.NONE, ExpiryThresholds.defaults(), CLOCK).register(routing);
    }

    @Test
    void beforeFirstPass_liveButNotReady_statusPending_pageSaysSo_thenStuck() throws Exception {
        assertThat(client.get("/livez").request(String.class).status().code()).isEqualTo(200);
        assertThat(client.get("/readyz").request(String.class).status().code()).isEqualTo(503);
        ClientResponseTyped<String> status = client.get("/status").request(String.class);
        assertThat(status.status().code()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(status.entity()).path("status").asText())
                .isEqualTo("pending");
        assertThat(client.get("/").request(String.class).entity())
                .contains("has not finished yet");
        try (var metrics = client.get("/metrics").request()) {
            assertThat(metrics.status().code()).isEqualTo(200);
            assertThat(metrics.headers().contentLength()).hasValue(0);
        }

        CLOCK.advance(BOUND.plusSeconds(1));

        ClientResponseTyped<String> livez = client.get("/livez").request(String.class);
        assertThat(livez.status().code()).isEqualTo(503);
        assertThat(livez.entity()).contains("no pass started since start-up");
    }
}
