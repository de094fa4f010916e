package dev.hubbletls.agent.http;

import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.watch.Rotation;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agent's read-only endpoints: {@code /livez}, {@code /readyz}, {@code /status},
 * {@code /} and {@code /metrics}. Liveness and readiness follow the check loop only; a
 * broken Hubble is the agent's news, reported in {@code /status}, not its illness.
 */
public final class AgentEndpoints {

    /** Requests answered in a burst, and per second after it. */
    static final int BURST = 50;
    static final double PER_SECOND = 10;

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final PassHeartbeat heartbeat;
    private final Supplier<List<Rotation>> rotations;
    private final MetricsText metrics;
    private final ExpiryThresholds thresholds;
    private final Clock clock;

    /**
     * Endpoints over the loop's {@code heartbeat}; {@code rotations} lists recent rotations
     * and {@code metrics} renders the metrics, each on every request.
     */
    public AgentEndpoints(PassHeartbeat heartbeat, Supplier<List<Rotation>> rotations,
                          MetricsText metrics, ExpiryThresholds thresholds, Clock clock) {
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.rotations = Objects.requireNonNull(rotations, "rotations");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the endpoints, behind the method and rate gate, to {@code routing}. */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(new RequestGate(new RequestBudget(clock, BURST, PER_SECOND)));
        read(routing, "/livez", this::livez);
        read(routing, "/readyz", this::readyz);
        read(routing, "/status", this::status);
        read(routing, "/metrics", this::metrics);
        read(routing, "/", this::page);
    }

    private static void read(HttpRouting.Builder routing, String path, Handler handler) {
        routing.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.exact(path),
                handler);
    }

    private void livez(ServerRequest request, ServerResponse response) {
        PassHeartbeat.Liveness liveness = heartbeat.liveness();
        send(request, response, liveness.alive() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                TEXT, liveness.message() + "\n");
    }

    private void readyz(ServerRequest request, ServerResponse response) {
        boolean ready = heartbeat.ready();
        send(request, response, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, TEXT,
                ready ? "first check pass finished\n"
                        : "waiting for the first check pass to finish\n");
    }

    private void status(ServerRequest request, ServerResponse response) {
        String body = StatusJson.render(heartbeat.latest(), heartbeat.nextPassAt(),
                rotations.get(), clock.instant());
        send(request, response, heartbeat.ready() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                JSON, body);
    }

    private void page(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.create("Content-Security-Policy"),
                "default-src 'none'; style-src 'unsafe-inline'");
        send(request, response, Status.OK_200, HTML, StatusPage.render(heartbeat.latest(),
                heartbeat.nextPassAt(), rotations.get(), thresholds, clock.instant()));
    }

    private void metrics(ServerRequest request, ServerResponse response) {
        send(request, response, Status.OK_200, PROMETHEUS, metrics.prometheus());
    }

    // HEAD gets the status and headers of GET without the body; Helidon sends what it is given.
    private static void send(ServerRequest request, ServerResponse response, Status status,
                             String contentType, String body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (request.prologue().method().equals(Method.HEAD)) {
            response.send();
        } else {
            response.send(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
