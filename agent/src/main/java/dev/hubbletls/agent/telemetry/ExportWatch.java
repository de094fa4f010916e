package dev.hubbletls.agent.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Counts failed exports to the collector and reports them the way an operator can bear: one
 * warning at the first failure, a summary every {@link #SUMMARY_INTERVAL} while failures go
 * on, one line when exports work again. The exporters' own per-failure log lines are
 * silenced in their favour (see {@link TelemetrySetup}).
 */
final class ExportWatch {

    /** How often a lasting failure is summarised. */
    static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(ExportWatch.class.getName());
    private static final int MAX_CAUSES = 4;

    private final Clock clock;
    private volatile String destination = "the OTLP endpoint";
    private long failuresSinceWarning;
    private long failuresInOutage;
    private Optional<Instant> warnedAt = Optional.empty();

    ExportWatch(Clock clock) {
        this.clock = clock;
    }

    /** Names where exports go, for the warnings: the endpoint as configured. */
    void describe(String destination) {
        this.destination = destination;
    }

    SpanExporter watch(SpanExporter exporter) {
        return new WatchedSpans(exporter, this);
    }

    MetricExporter watch(MetricExporter exporter) {
        return new WatchedMetrics(exporter, this);
    }

    LogRecordExporter watch(LogRecordExporter exporter) {
        return new WatchedLogs(exporter, this);
    }

    private CompletableResultCode observe(String signal, CompletableResultCode result) {
        return result.whenComplete(() -> completed(signal, result));
    }

    private synchronized void completed(String signal, CompletableResultCode result) {
        if (result.isSuccess()) {
            if (warnedAt.isPresent()) {
                LOG.info("OpenTelemetry export to " + destination + " works again after "
                        + failuresInOutage + " failed exports");
            }
            warnedAt = Optional.empty();
            failuresInOutage = 0;
            failuresSinceWarning = 0;
            return;
        }
        failuresInOutage++;
        failuresSinceWarning++;
        Instant now = clock.instant();
        if (warnedAt.isEmpty()) {
            LOG.warning("OpenTelemetry export of " + signal + " to " + destination + " failed ("
                    + cause(result) + "); checks go on unaffected, telemetry is dropped once"
                    + " the bounded export queues are full. Further failures are counted and"
                    + " summarised every " + SUMMARY_INTERVAL.toMinutes() + " min.");
            warnedAt = Optional.of(now);
            failuresSinceWarning = 0;
        } else if (!now.isBefore(warnedAt.get().plus(SUMMARY_INTERVAL))) {
            LOG.warning("OpenTelemetry export to " + destination + " still failing: "
                    + failuresSinceWarning + " exports failed in the last "
                    + Duration.between(warnedAt.get(), now).toMinutes() + " min, "
                    + failuresInOutage + " in this outage; last cause: " + cause(result));
            warnedAt = Optional.of(now);
            failuresSinceWarning = 0;
        }
    }

    // The exporter wraps the sender's failure, repeating its text: the chain below says what
    // happened (UNAVAILABLE: io exception; Connection refused), each part once.
    private static String cause(CompletableResultCode result) {
        List<String> messages = new ArrayList<>();
        Throwable failure = result.getFailureThrowable();
        for (int depth = 0; failure != null && depth < MAX_CAUSES; depth++) {
            String message = failure.getMessage();
            if (message != null) {
                messages.removeIf(known -> known.contains(message));
                if (messages.stream().noneMatch(message::contains)) {
                    messages.add(message);
                }
            }
            failure = failure.getCause();
        }
        return messages.isEmpty() ? "no detail from the exporter" : String.join("; ", messages);
    }

    private record WatchedSpans(SpanExporter exporter, ExportWatch watch) implements SpanExporter {

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return watch.observe("spans", exporter.export(spans));
        }

        @Override
        public CompletableResultCode flush() {
            return exporter.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }

    private record WatchedLogs(LogRecordExporter exporter, ExportWatch watch)
            implements LogRecordExporter {

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            return watch.observe("events", exporter.export(logs));
        }

        @Override
        public CompletableResultCode flush() {
            return exporter.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }

    private record WatchedMetrics(MetricExporter exporter, ExportWatch watch)
            implements MetricExporter {

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return watch.observe("metrics", exporter.export(metrics));
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return exporter.getAggregationTemporality(type);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType type) {
            return exporter.getDefaultAggregation(type);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return exporter.getMemoryMode();
        }

        @Override
        public CompletableResultCode flush() {
            return exporter.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }
}
