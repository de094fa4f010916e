package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.CheckTransitions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's OpenTelemetry: a trace per check pass, events when a check's state changes,
 * and the metrics of the service contract, exported over OTLP when an endpoint is configured
 * and always readable in Prometheus text format for {@code /metrics}.
 *
 * <p>Recording never blocks a pass: spans and events go into bounded queues that batch
 * processors export in the background, and a collector that is down costs dropped telemetry
 * and a summarised warning, nothing else. Nothing here throws at the caller.
 */
public final class AgentTelemetry implements AutoCloseable {

    /** How often events repeat while a problem lasts, unless configured otherwise. */
    public static final Duration DEFAULT_EVENT_REPEAT = Duration.ofHours(1);
    /** How long {@link #close()} waits for the last export. */
    public static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    /** The content type of {@link #writeMetrics(OutputStream)}. */
    public static final String METRICS_CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Logger LOG = Logger.getLogger(AgentTelemetry.class.getName());
    private static final String SCOPE = "dev.hubbletls.agent";

    private final OpenTelemetrySdk sdk;
    private final PrometheusMetricReader prometheus;
    private final Clock clock;
    private final Optional<String> node;
    private final CheckSpans spans;
    private final CheckEvents events;
    private final CheckMetrics metrics;
    private final AtomicBoolean recordFailed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    AgentTelemetry(OpenTelemetrySdk sdk, PrometheusMetricReader prometheus, Clock clock,
                   Duration eventRepeat, Optional<String> node) {
        this.sdk = Objects.requireNonNull(sdk, "sdk");
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.node = Objects.requireNonNull(node, "node");
        this.spans = new CheckSpans(sdk.getTracer(SCOPE));
        this.events = new CheckEvents(sdk.getSdkLoggerProvider().get(SCOPE),
                new CheckTransitions(eventRepeat));
        this.metrics = new CheckMetrics(sdk.getMeter(SCOPE), clock, node.orElse(""));
    }

    /**
     * Telemetry configured by the standard {@code OTEL_*} environment variables; OTLP export
     * stays off without {@code OTEL_EXPORTER_OTLP_ENDPOINT}. Throws
     * {@code InvalidSettingException} when those variables are contradictory or malformed.
     *
     * @param eventRepeat how often events repeat while a problem lasts
     * @param node        the node checked, as the settings name it (flag, file or
     *                    {@code NODE_NAME}): the label of what is not part of a pass, such as
     *                    rotations
     */
    public static AgentTelemetry fromEnvironment(Clock clock, Duration eventRepeat,
                                                 Optional<String> node) {
        return configure(System.getenv(), Map.of(), clock, eventRepeat, node);
    }

    /** As {@link #fromEnvironment}, with {@code overrides} winning over the configuration. */
    static AgentTelemetry configure(Map<String, String> env, Map<String, String> overrides,
                                    Clock clock, Duration eventRepeat, Optional<String> node) {
        PrometheusMetricReader prometheus = PrometheusMetricReader.builder()
                .setOtelScopeLabelsEnabled(false)
                .build();
        OpenTelemetrySdk sdk = TelemetrySetup.build(env, overrides, prometheus, clock);
        return new AgentTelemetry(sdk, prometheus, clock, eventRepeat, node);
    }

    /** Records a finished pass: its trace, its news as events, and its metrics. */
    public void record(CheckReport report) {
        try {
            metrics.record(report);
            Span pass = spans.startPass(report);
            events.announce(report, pass);
            pass.end(report.finishedAt());
        } catch (RuntimeException e) {
            // Telemetry must never take a pass down; one line is enough to find the bug.
            if (recordFailed.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "recording a pass as telemetry failed; the checks are"
                        + " unaffected, further failures are not logged", e);
            }
        }
    }

    /** Records that the watched {@code file} changed: the rotations counter and an event. */
    public void recordRotation(String file) {
        try {
            metrics.recordRotation(file, node);
            events.rotation(file, clock.instant(), node);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "recording a rotation as telemetry failed", e);
        }
    }

    /** Writes the current metrics in Prometheus text format ({@link #METRICS_CONTENT_TYPE}). */
    public void writeMetrics(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, prometheus.collect());
    }

    /** Exports what is queued, waiting at most {@code bound}; whether it all went out. */
    public boolean flush(Duration bound) {
        CompletableResultCode flushed = CompletableResultCode.ofAll(List.of(
                sdk.getSdkTracerProvider().forceFlush(),
                sdk.getSdkLoggerProvider().forceFlush(),
                sdk.getSdkMeterProvider().forceFlush()));
        return flushed.join(bound.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Exports what is queued and stops, waiting at most {@link #CLOSE_BOUND}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Parts of the SDK's shutdown block on a last export; a dead collector must not hold
        // the process for longer than the bound, so the shutdown runs on its own thread.
        Thread shutdown = new Thread(() -> sdk.shutdown()
                .join(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS), "telemetry-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
        try {
            shutdown.join(CLOSE_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
