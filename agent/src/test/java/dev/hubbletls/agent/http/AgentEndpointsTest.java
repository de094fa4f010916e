package dev.hubbletls.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.check.SampleReports;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import dev.hubbletls.agent.watch.FileVersion;
import dev.hubbletls.agent.watch.Rotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@ServerTest
class AgentEndpointsTest {

    private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration BOUND = Duration.ofSeconds(200);

    private static final MutableClock CLOCK = new MutableClock(START);
    private static final List<Rotation> ROTATIONS = new CopyOnWriteArrayList<>();
    private static final PassHeartbeat HEARTBEAT = new PassHeartbeat(CLOCK, INTERVAL, BOUND);

    private final Http1Client client;

    AgentEndpointsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        new AgentEndpoints(HEARTBEAT, () -> List.copyOf(ROTATIONS),
                () -> "hubble_tls_check_status{check=\"mtls-handshake\",node=\"node-1\"} 0\n",
                ExpiryThresholds.defaults(), CLOCK).register(routing);
    }

    @BeforeEach
    void noRotations() {
        ROTATIONS.clear();
    }

    @Test
    void afterFirstPass_readyAndStatusIsTheReportWithNextPassAndRotations() throws Exception {
        Instant now = CLOCK.instant();
        finishPass(SampleReports.of(now, List.of("*.default.hubble-grpc.cilium.io")));
        ROTATIONS.add(new Rotation(Path.of("client.crt"), Optional.empty(),
                FileVersion.of("not a certificate".getBytes(StandardCharsets.US_ASCII)), now));

        assertThat(get("/readyz").status().code()).isEqualTo(200);
        ClientResponseTyped<String> status = get("/status");
        assertThat(status.status().code()).isEqualTo(200);
        assertThat(status.headers().contentType().orElseThrow().text())
                .startsWith("application/json");
        JsonNode body = json(status);
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("node").asText()).isEqualTo("node-1");
        assertThat(body.path("checks").get(0).path("id").asText()).isEqualTo("hubble-discovery");
        assertThat(body.path("certificates").get(0).path("daysLeft").asLong()).isEqualTo(265);
        assertThat(body.path("nextPassAt").asText()).isEqualTo(now.plusSeconds(60).toString());
        assertThat(body.path("rotations").get(0).path("file").asText()).isEqualTo("client.crt");
    }

    @Test
    void passStuckLongerThanBound_failsLiveness_butReadinessHolds() {
        finishPass(SampleReports.of(CLOCK.instant(), List.of()));
        HEARTBEAT.started();
        CLOCK.advance(BOUND.plusSeconds(1));

        ClientResponseTyped<String> livez = get("/livez");

        assertThat(livez.status().code()).isEqualTo(503);
        assertThat(livez.entity()).contains("check loop stuck", "still running");
        assertThat(get("/readyz").status().code()).isEqualTo(200);
    }

    @Test
    void brokenHubble_isNewsNotIllness_liveAndReady() {
        finishPass(SampleReports.of(CLOCK.instant(), List.of(), Finding.of(
                CheckId.CLIENT_CERT_REQUIRED, Status.CRITICAL, Reason.MTLS_NOT_ENFORCED,
                "accepts clients without a cert")));

        assertThat(get("/livez").status().code()).isEqualTo(200);
        assertThat(get("/readyz").status().code()).isEqualTo(200);
    }

    @Test
    void page_showsOneLinePerCheckAndAMeterPerCertificate_andEscapesReportText() {
        finishPass(SampleReports.of(CLOCK.instant(), List.of("<b>evil</b>.example"),
                Finding.of(CheckId.SERVER_CERTIFICATE, Status.CRITICAL,
                        Reason.SERVER_NAME_MISMATCH, "names <script>alert('x')</script> & co")));

        ClientResponseTyped<String> page = get("/");

        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().contentType().orElseThrow().text()).startsWith("text/html");
        assertThat(page.headers().first(HeaderNames.create("Content-Security-Policy")))
                .contains("default-src 'none'; style-src 'unsafe-inline'");
        String html = page.entity();
        assertThat(html).doesNotContain("<script>")
                .contains("names &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
                .contains("[SERVER_NAME_MISMATCH]")
                .contains("<td class=\"critical\">critical</td><td>server-certificate</td>");
        assertThat(html.split("<tr>")).as("two checks and one certificate").hasSize(4);
        assertThat(html).contains("<meter min=\"0\" max=\"8760\" low=\"168\" high=\"720\"",
                "value=\"6360\">265 days left</meter>");
    }

    @Test
    void metrics_servesWhatTheMetricsTextRenders_asPrometheusText() {
        ClientResponseTyped<String> metrics = get("/metrics");

        assertThat(metrics.status().code()).isEqualTo(200);
        assertThat(metrics.headers().first(HeaderNames.CONTENT_TYPE))
                .contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.entity()).contains("hubble_tls_check_status{");
    }

    @Test
    void writes_areRefusedWith405AndAllow() {
        for (Method method : List.of(Method.POST, Method.PUT, Method.DELETE, Method.PATCH)) {
            ClientResponseTyped<String> response = client.method(method).path("/status")
                    .submit("x", String.class);

            assertThat(response.status().code()).as(method.text()).isEqualTo(405);
            assertThat(response.headers().first(HeaderNames.ALLOW)).contains("GET, HEAD");
        }
    }

    @Test
    void head_answersStatusAndHeadersWithoutBody() {
        finishPass(SampleReports.of(CLOCK.instant(), List.of()));

        try (var response = client.head("/status").request()) {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().contentType().orElseThrow().text())
                    .startsWith("application/json");
        }
    }

    @Test
    void unknownPath_is404() {
        assertThat(get("/debug").status().code()).isEqualTo(404);
    }

    private ClientResponseTyped<String> get(String path) {
        return client.get(path).request(String.class);
    }

    private static JsonNode json(ClientResponseTyped<String> response) throws Exception {
        return new ObjectMapper().readTree(response.entity());
    }

    private static void finishPass(CheckReport report) {
        HEARTBEAT.started();
        HEARTBEAT.finished(Optional.of(report));
    }
}
