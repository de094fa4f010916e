package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.hubbletls.agent.check.CheckInterval;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentTelemetryTest {

    private static final Duration REPEAT = Duration.ofHours(1);
    private static EmbeddedNode embedded;
    private InMemoryTelemetry memory;

    @BeforeAll
    static void startNode() throws IOException {
        embedded = new EmbeddedNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        embedded.close();
    }

    @BeforeEach
    void telemetry() {
        memory = new InMemoryTelemetry(embedded.clock, REPEAT,
                Optional.of(EmbeddedHubble.NODE));
    }

    @AfterEach
    void closeTelemetry() {
        memory.close();
    }

    @Test
    void healthyPass_oneTraceWithAChildPerCheck_atTheRecordedTimes_noErrorsNoEvents() {
        CheckReport report = embedded.healthyPass();

        memory.telemetry.record(report);

        SpanData pass = passSpan();
        List<SpanData> children = children(pass);
        assertThat(pass.getStartEpochNanos()).isEqualTo(nanos(report.startedAt()));
        assertThat(pass.getEndEpochNanos()).isEqualTo(nanos(report.finishedAt()));
        assertThat(children).hasSize(report.timings().size()).hasSize(report.findings().size());
        for (SpanData child : children) {
            CheckId check = checkOf(child);
            CheckInterval interval = report.timings().get(check);
            assertThat(child.getStartEpochNanos()).isEqualTo(nanos(interval.start()));
            assertThat(child.getEndEpochNanos()).isEqualTo(nanos(interval.end()));
            assertThat(child.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(child.getAttributes().get(key("hubble_tls.verdict"))).isEqualTo("ok");
        }
        assertThat(pass.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(pass.getEvents()).isEmpty();
        assertThat(memory.events()).isEmpty();
    }

    @Test
    void healthyPass_relaySpanCarriesTlsFactsBySemanticConventions() {
        CheckReport report = embedded.healthyPass();

        memory.telemetry.record(report);

        SpanData relay = child(CheckId.MTLS_HANDSHAKE);
        assertThat(relay.getName()).isEqualTo("mTLS handshake as Relay");
        assertThat(relay.getAttributes().asMap()).containsEntry(key("server.address"), "127.0.0.1")
                .containsEntry(AttributeKey.longKey("server.port"),
                        (long) embedded.node.port())
                .containsEntry(key("tls.protocol.name"), "tls")
                .containsEntry(key("tls.protocol.version"), "1.3")
                .containsEntry(AttributeKey.booleanKey("tls.established"), true)
                .containsEntry(key("tls.next_protocol"), "h2")
                .containsEntry(key("hubble_tls.node"), EmbeddedHubble.NODE)
                .containsEntry(key("hubble_tls.server_name"), embedded.node.serverName())
                .containsEntry(key("hubble_tls.probe.expected_outcome"), "established")
                .containsEntry(key("hubble_tls.reason"), "OK")
                .containsKeys(key("tls.cipher"), key("tls.server.not_after"));
        assertThat(relay.getAttributes().get(key("tls.server.subject")))
                .contains("hubble-grpc.cilium.io");
        assertThat(relay.getAttributes().get(key("tls.server.hash.sha256")))
                .matches("[0-9A-F]{64}");
        assertThat(relay.getAttributes().get(key("error.type"))).isNull();
    }

    @Test
    void clientAuthOptional_onlyTheNoCertificateDialIsAnError_andMtlsNotEnforcedIsAnnounced() {
        CheckReport report = embedded.clientAuthOptionalPass();

        memory.telemetry.record(report);

        SpanData noCertificate = child(CheckId.CLIENT_CERT_REQUIRED);
        assertThat(noCertificate.getName()).isEqualTo("dial without client certificate");
        assertThat(noCertificate.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(noCertificate.getAttributes().get(key("error.type")))
                .isEqualTo("MTLS_NOT_ENFORCED");
        assertThat(children(passSpan())).filteredOn(span -> span != noCertificate
                        && !span.getSpanId().equals(noCertificate.getSpanId()))
                .allSatisfy(span -> assertThat(span.getStatus().getStatusCode())
                        .as(span.getName()).isEqualTo(StatusCode.UNSET));
        assertThat(passSpan().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        LogRecordData event = onlyEvent();
        assertThat(event.getEventName()).isEqualTo("hubble_tls.mtls.not_enforced");
        assertThat(event.getAttributes().get(key("event.name")))
                .isEqualTo("hubble_tls.mtls.not_enforced");
        assertThat(event.getSeverity()).isEqualTo(Severity.ERROR);
        assertThat(event.getSeverityText()).isEqualTo("critical");
        assertThat(event.getBodyValue().asString()).contains("without a certificate");
        assertThat(event.getSpanContext().getTraceId()).isEqualTo(passSpan().getTraceId());

        EventData spanEvent = passSpan().getEvents().get(0);
        assertThat(passSpan().getEvents()).hasSize(1);
        assertThat(spanEvent.getName()).isEqualTo("hubble_tls.mtls.not_enforced");
        assertThat(spanEvent.getAttributes().asMap())
                .containsEntry(key("hubble_tls.severity"), "critical")
                .containsEntry(key("hubble_tls.check"), "client-cert-required")
                .containsEntry(key("hubble_tls.reason"), "MTLS_NOT_ENFORCED")
                .containsEntry(key("hubble_tls.transition"), "raised")
                .containsEntry(key("hubble_tls.node"), EmbeddedHubble.NODE)
                .containsKey(key("hubble_tls.message"));
    }

    @Test
    void lastingProblem_isAnnouncedOnce_againAfterTheRepeatInterval_thenItsRecovery() {
        CheckReport first = embedded.clientAuthOptionalPass();
        CheckReport second = embedded.clientAuthOptionalPass();

        memory.telemetry.record(first);
        memory.telemetry.record(second);
        assertThat(memory.events()).hasSize(1);

        memory.telemetry.record(shifted(second, REPEAT));
        assertThat(memory.events()).hasSize(2);
        assertThat(memory.events().get(1).getAttributes().get(key("hubble_tls.transition")))
                .isEqualTo("repeated");

        memory.telemetry.record(shifted(embedded.healthyPass(), REPEAT.plusMinutes(1)));
        LogRecordData recovery = memory.events().get(2);
        assertThat(memory.events()).hasSize(3);
        assertThat(recovery.getEventName()).isEqualTo("hubble_tls.check.recovered");
        assertThat(recovery.getSeverity()).isEqualTo(Severity.INFO);
        assertThat(recovery.getAttributes().get(key("hubble_tls.previous.reason")))
                .isEqualTo("MTLS_NOT_ENFORCED");
    }

    @Test
    void metrics_inPrometheusText_carryTheContractNamesAndLabels() {
        memory.telemetry.record(embedded.clientAuthOptionalPass());
        memory.telemetry.recordRotation("client.crt");

        String text = memory.prometheusText();

        String node = "node=\"" + EmbeddedHubble.NODE + "\"";
        assertThat(text)
                .containsPattern(line("hubble_tls_certificate_expiry_seconds",
                        "node=\"demo-node\",role=\"server\",serial=\"[0-9a-f]+\","
                                + "subject=\"CN=\\*\\.default\\.hubble-grpc\\.cilium\\.io[^\"]*\""))
                .containsPattern(line("hubble_tls_certificate_not_after_timestamp_seconds",
                        node + ",role=\"client\",serial=\"[0-9a-f]+\",subject=\"[^\"]+\""))
                .containsPattern(line("hubble_tls_certificate_expiry_seconds",
                        node + ",role=\"ca\",serial=\"[0-9a-f]+\",subject=\"CN=Cilium CA\""))
                .containsPattern(Pattern.quote("hubble_tls_check_status{check=\"mtls-handshake\","
                        + node + "} 0.0\n"))
                .containsPattern(Pattern.quote("hubble_tls_check_status{check="
                        + "\"client-cert-required\"," + node + "} 2.0\n"))
                .containsPattern(Pattern.quote("hubble_tls_handshakes_total{" + node
                        + ",outcome=\"accepted\",probe=\"client-cert-required\"} 1.0\n"))
                .containsPattern(Pattern.quote("hubble_tls_handshakes_total{" + node
                        + ",outcome=\"refused\",probe=\"client-cert-verified\"} 1.0\n"))
                .containsPattern(Pattern.quote("hubble_tls_handshake_duration_seconds_bucket{"
                        + node + ",probe=\"mtls-handshake\",le=\"0.005\"}"))
                .containsPattern(Pattern.quote("hubble_tls_rotations_total{file=\"client.crt\","
                        + node + "} 1.0\n"))
                .containsPattern(line("hubble_tls_last_pass_timestamp_seconds", node));
    }

    @Test
    void metricsOverOtlpNames_useDots() {
        memory.telemetry.record(embedded.healthyPass());

        assertThat(memory.collectMetrics()).extracting(metric -> metric.getName())
                .contains("hubble_tls.certificate.expiry",
                        "hubble_tls.certificate.not_after.timestamp", "hubble_tls.check.status",
                        "hubble_tls.handshakes", "hubble_tls.handshake.duration",
                        "hubble_tls.last_pass.timestamp");
    }

    @Test
    void reportWithMalformedDetails_isRecordedWithoutThrowing() {
        Finding odd = Finding.ok(CheckId.MTLS_HANDSHAKE, "works")
                .with("handshakeMillis", "not a number");
        Instant now = Instant.now();
        CheckReport report = new CheckReport(Optional.empty(), Optional.empty(), now, now,
                List.of(odd), List.of(), Map.of(CheckId.MTLS_HANDSHAKE,
                        new CheckInterval(now, now)));

        assertThatCode(() -> memory.telemetry.record(report)).doesNotThrowAnyException();
    }

    private static String line(String metric, String labels) {
        return "(?m)^" + metric + "\\{" + labels + "\\} -?[0-9.E]+$";
    }

    private static CheckReport shifted(CheckReport report, Duration by) {
        return new CheckReport(report.node(), report.target(), report.startedAt().plus(by),
                report.finishedAt().plus(by), report.findings(), report.certificates(),
                Map.of());
    }

    private LogRecordData onlyEvent() {
        assertThat(memory.events()).hasSize(1);
        return memory.events().get(0);
    }

    private SpanData passSpan() {
        return memory.spans().stream().filter(span -> span.getName().equals("hubble.tls.check"))
                .reduce((a, b) -> b).orElseThrow();
    }

    private List<SpanData> children(SpanData pass) {
        return memory.spans().stream()
                .filter(span -> span.getParentSpanId().equals(pass.getSpanId()))
                .toList();
    }

    private SpanData child(CheckId check) {
        return children(passSpan()).stream().filter(span -> checkOf(span) == check)
                .findFirst().orElseThrow();
    }

    private static CheckId checkOf(SpanData span) {
        String id = span.getAttributes().get(key("hubble_tls.check"));
        for (CheckId check : CheckId.values()) {
            if (check.id().equals(id)) {
                return check;
            }
        }
        throw new AssertionError("span " + span.getName() + " names no check: " + id);
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static AttributeKey<String> key(String name) {
        return AttributeKey.stringKey(name);
    }
}
