package dev.hubbletls.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request budget: a burst, then a steady rate, then 429. */
@ServerTest
class RequestLimitsTest {

    private static final MutableClock CLOCK =
            new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));

    private final Http1Client client;

    RequestLimitsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        new AgentEndpoints(new PassHeartbeat(CLOCK, Duration.ofSeconds(60),
                Duration.ofSeconds(200)), List::of, MetricsText.NONE,
                ExpiryThresholds.defaults(), CLOCK).register(routing);
    }

    @Test
    void beyondTheBurst_429WithRetryAfter_untilTimeRefillsTheBudget() {
        for (int i = 0; i < AgentEndpoints.BURST; i++) {
            assertThat(livez().status().code()).as("request " + i).isEqualTo(200);
        }

        ClientResponseTyped<String> refused = livez();
        assertThat(refused.status().code()).isEqualTo(429);
        assertThat(refused.headers().first(HeaderNames.RETRY_AFTER)).contains("1");

        CLOCK.advance(Duration.ofMillis(Math.round(1000 / AgentEndpoints.PER_SECOND)));
        assertThat(livez().status().code()).isEqualTo(200);
        assertThat(livez().status().code()).isEqualTo(429);
    }

    private ClientResponseTyped<String> livez() {
        return client.get("/livez").request(String.class);
    }
}
