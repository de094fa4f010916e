package dev.hubbletls.agent.telemetry;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** An {@link AgentTelemetry} whose spans, events and metrics stay in memory for assertions. */
final class InMemoryTelemetry implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final AgentTelemetry telemetry;

    InMemoryTelemetry(Clock clock, Duration eventRepeat, Optional<String> node) {
        PrometheusMetricReader prometheus = PrometheusMetricReader.builder()
                .setOtelScopeLabelsEnabled(false)
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setLoggerProvider(SdkLoggerProvider.builder()
                        .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(metrics)
                        .registerMetricReader(prometheus).build())
                .build();
        telemetry = new AgentTelemetry(sdk, prometheus, clock, eventRepeat, node);
    }

    List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    List<LogRecordData> events() {
        return logs.getFinishedLogRecordItems();
    }

    Collection<MetricData> collectMetrics() {
        return metrics.collectAllMetrics();
    }

    String prometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            telemetry.writeMetrics(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        telemetry.close();
    }
}
