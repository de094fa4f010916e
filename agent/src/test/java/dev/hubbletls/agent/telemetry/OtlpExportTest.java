package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.InvalidSettingException;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What reaches a collector over OTLP/gRPC, and what happens when none is there. */
class OtlpExportTest {

    private static final Duration REPEAT = Duration.ofHours(1);
    private static final Map<String, String> POD_ENV = Map.of("NODE_NAME", EmbeddedHubble.NODE,
            "POD_NAME", "hubble-tls-agent-x7k2p", "POD_NAMESPACE", "kube-system");
    private static EmbeddedNode embedded;

    @BeforeAll
    static void startNode() throws IOException {
        embedded = new EmbeddedNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        embedded.close();
    }

    @Test
    void healthyThenClientAuthOptional_tracesEventsAndMetricsArriveOnTheWire() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
             AgentTelemetry telemetry = AgentTelemetry.configure(POD_ENV,
                     Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()),
                     embedded.clock, REPEAT, Optional.of(EmbeddedHubble.NODE))) {
            telemetry.record(embedded.healthyPass());
            telemetry.record(embedded.clientAuthOptionalPass());
            telemetry.recordRotation("client.crt");

            assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();

            Resource resource = receiver.traces.get(0).getResourceSpans(0).getResource();
            assertThat(attributes(resource.getAttributesList()))
                    .containsEntry("service.name", "hubble-tls-agent")
                    .containsEntry("k8s.node.name", EmbeddedHubble.NODE)
                    .containsEntry("k8s.pod.name", "hubble-tls-agent-x7k2p")
                    .containsEntry("k8s.namespace.name", "kube-system");

            List<Span> spans = receiver.traces.stream()
                    .flatMap(request -> request.getResourceSpansList().stream())
                    .flatMap(resourceSpans -> resourceSpans.getScopeSpansList().stream())
                    .flatMap(scope -> scope.getSpansList().stream())
                    .toList();
            List<Span> passes = spans.stream()
                    .filter(span -> span.getName().equals("hubble.tls.check")).toList();
            assertThat(passes).hasSize(2);
            Span healthy = passes.stream().filter(span -> span.getEventsCount() == 0)
                    .findFirst().orElseThrow();
            Span faulty = passes.stream().filter(span -> span.getEventsCount() > 0)
                    .findFirst().orElseThrow();
            assertThat(children(spans, healthy)).hasSize(9).allSatisfy(span -> assertThat(
                    span.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET));
            assertThat(children(spans, faulty))
                    .filteredOn(span -> span.getStatus().getCode()
                            == StatusCode.STATUS_CODE_ERROR)
                    .extracting(Span::getName)
                    .containsExactly("dial without client certificate");
            assertThat(faulty.getEvents(0).getName()).isEqualTo("hubble_tls.mtls.not_enforced");
            assertThat(attributes(faulty.getEvents(0).getAttributesList()))
                    .containsEntry("hubble_tls.severity", "critical")
                    .containsEntry("hubble_tls.check", "client-cert-required");

            List<LogRecord> records = receiver.logs.stream()
                    .flatMap(request -> request.getResourceLogsList().stream())
                    .flatMap(resourceLogs -> resourceLogs.getScopeLogsList().stream())
                    .flatMap(scope -> scope.getLogRecordsList().stream())
                    .toList();
            assertThat(records).extracting(LogRecord::getEventName).containsExactly(
                    "hubble_tls.mtls.not_enforced", "hubble_tls.certificate.rotated");
            assertThat(records.get(0).getSeverityNumber())
                    .isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
            assertThat(records.get(0).getTraceId()).isEqualTo(faulty.getTraceId());
            assertThat(attributes(records.get(0).getAttributesList()))
                    .containsEntry("event.name", "hubble_tls.mtls.not_enforced");

            assertThat(receiver.metrics.stream()
                    .flatMap(request -> request.getResourceMetricsList().stream())
                    .flatMap(resourceMetrics -> resourceMetrics.getScopeMetricsList().stream())
                    .flatMap(scope -> scope.getMetricsList().stream())
                    .map(Metric::getName))
                    .contains("hubble_tls.certificate.expiry",
                            "hubble_tls.certificate.not_after.timestamp",
                            "hubble_tls.check.status", "hubble_tls.handshakes",
                            "hubble_tls.handshake.duration", "hubble_tls.rotations",
                            "hubble_tls.last_pass.timestamp");
        }
    }

    @Test
    void collectorDown_verdictsUnchanged_recordingNeverBlocks_oneSummarisedWarning()
            throws Exception {
        List<String> baseline = List.of(verdicts(embedded.healthyPass()),
                verdicts(embedded.clientAuthOptionalPass()));
        String endpoint = "http://127.0.0.1:" + closedPort();
        List<String> withDeadCollector;
        long slowestRecordMillis = 0;
        try (LogCapture log = new LogCapture()) {
            long closingStarted;
            try (AgentTelemetry telemetry = AgentTelemetry.configure(POD_ENV, Map.of(
                    "otel.exporter.otlp.endpoint", endpoint,
                    "otel.exporter.otlp.timeout", "1s"), embedded.clock, REPEAT,
                    Optional.of(EmbeddedHubble.NODE))) {
                CheckReport healthy = embedded.healthyPass();
                CheckReport faulty = embedded.clientAuthOptionalPass();
                withDeadCollector = List.of(verdicts(healthy), verdicts(faulty));
                for (CheckReport report : List.of(healthy, faulty, healthy, faulty)) {
                    long started = System.nanoTime();
                    telemetry.record(report);
                    slowestRecordMillis = Math.max(slowestRecordMillis,
                            (System.nanoTime() - started) / 1_000_000);
                }
                assertThat(telemetry.flush(Duration.ofSeconds(10))).isFalse();
                assertThat(telemetry.flush(Duration.ofSeconds(10))).isFalse();
                closingStarted = System.nanoTime();
            }
            long closeMillis = (System.nanoTime() - closingStarted) / 1_000_000;

            assertThat(withDeadCollector).isEqualTo(baseline);
            assertThat(slowestRecordMillis).isLessThan(250);
            assertThat(closeMillis).isLessThan(AgentTelemetry.CLOSE_BOUND.toMillis() + 1000);
            assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(warning -> {
                assertThat(warning.getLoggerName()).endsWith("ExportWatch");
                assertThat(warning.getMessage()).contains(endpoint)
                        .contains("checks go on unaffected");
            });
        }
    }

    @Test
    void noEndpoint_exportsNothingAndLogsNothing_butMetricsStayReadable() throws Exception {
        try (LogCapture log = new LogCapture();
             AgentTelemetry telemetry = AgentTelemetry.configure(Map.of(), Map.of(),
                     embedded.clock, REPEAT, Optional.empty())) {
            telemetry.record(embedded.clientAuthOptionalPass());

            assertThat(telemetry.flush(Duration.ofSeconds(2))).isTrue();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            telemetry.writeMetrics(out);
            assertThat(out.toString()).contains("hubble_tls_check_status{check=\"mtls-handshake\"")
                    .contains("service_name=\"hubble-tls-agent\"");
            assertThat(log.atLeast(Level.INFO)).isEmpty();
        }
    }

    // The node's name came from NODE_NAME only, so a name given by flag left rotations unlabelled.
    @Test
    void rotation_isLabelledWithTheNodeTheSettingsName() throws Exception {
        try (AgentTelemetry telemetry = AgentTelemetry.configure(Map.of(), Map.of(),
                embedded.clock, REPEAT, Optional.of("node-from-flag"))) {
            telemetry.recordRotation("/tls/client.crt");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            telemetry.writeMetrics(out);
            assertThat(out.toString()).contains("hubble_tls_rotations_total{"
                    + "file=\"/tls/client.crt\",node=\"node-from-flag\"} 1.0");
        }
    }

    @Test
    void httpProtobuf_buildsOnTheJdkSender_withoutOkHttp() {
        try (AgentTelemetry telemetry = AgentTelemetry.configure(Map.of(), Map.of(
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:4318",
                "otel.exporter.otlp.protocol", "http/protobuf"), embedded.clock, REPEAT,
                Optional.empty())) {
            assertThat(telemetry).isNotNull();
        }
        assertThat(getClass().getClassLoader().getResource("okhttp3/OkHttpClient.class"))
                .isNull();
    }

    @Test
    void malformedOtelSetting_isAnInvalidSettingNamingIt() {
        assertThatThrownBy(() -> AgentTelemetry.configure(Map.of(), Map.of(
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:4317",
                        "otel.exporter.otlp.protocol", "carrier-pigeon"),
                embedded.clock, REPEAT, Optional.empty()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("OTEL_")
                .hasMessageContaining("carrier-pigeon");
    }

    @Test
    void settingTheSdkReportsOnlyAsItsCause_isNamedAllTheSame() {
        assertThatThrownBy(() -> AgentTelemetry.configure(Map.of(), Map.of(
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:4317",
                        "otel.exporter.otlp.compression", "bogus"),
                embedded.clock, REPEAT, Optional.empty()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("Compression method must be")
                .hasMessageEndingWith("fix or unset the OpenTelemetry variables (OTEL_*)");
    }

    private static String verdicts(CheckReport report) {
        return report.findings().stream()
                .map(finding -> finding.check().id() + "=" + finding.status() + "/"
                        + finding.reason())
                .collect(Collectors.joining(","));
    }

    private static List<Span> children(List<Span> spans, Span parent) {
        return spans.stream().filter(span -> span.getParentSpanId().equals(parent.getSpanId()))
                .toList();
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                attribute -> text(attribute.getValue()), (a, b) -> b));
    }

    private static String text(AnyValue value) {
        return value.hasStringValue() ? value.getStringValue() : value.toString().trim();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
