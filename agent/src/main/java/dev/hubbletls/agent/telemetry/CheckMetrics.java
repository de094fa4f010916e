package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckInterval;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateFacts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's metrics, named as the service contract lists them in Prometheus form
 * ({@code hubble_tls.certificate.expiry} in seconds becomes
 * {@code hubble_tls_certificate_expiry_seconds}). Gauges read the last report when collected,
 * so a rotated certificate's old series disappears with the pass that no longer sees it.
 */
final class CheckMetrics {

    static final AttributeKey<String> ROLE = AttributeKey.stringKey("role");
    static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("subject");
    static final AttributeKey<String> SERIAL = AttributeKey.stringKey("serial");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("node");
    static final AttributeKey<String> CHECK = AttributeKey.stringKey("check");
    static final AttributeKey<String> PROBE = AttributeKey.stringKey("probe");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> FILE = AttributeKey.stringKey("file");

    /** From a node-local handshake (milliseconds) to a probe that ran into its timeout. */
    private static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

    private final Clock clock;
    private final String defaultNode;
    private final AtomicReference<CheckReport> last = new AtomicReference<>();
    private final LongCounter handshakes;
    private final DoubleHistogram handshakeDuration;
    private final LongCounter rotations;

    CheckMetrics(Meter meter, Clock clock, String defaultNode) {
        this.clock = clock;
        this.defaultNode = defaultNode;
        meter.gaugeBuilder("hubble_tls.certificate.expiry").setUnit("s")
                .setDescription("Seconds until the certificate's NotAfter; negative once expired")
                .buildWithCallback(this::observeExpiry);
        meter.gaugeBuilder("hubble_tls.certificate.not_after.timestamp").setUnit("s")
                .setDescription("The certificate's NotAfter as Unix time")
                .buildWithCallback(this::observeNotAfter);
        meter.gaugeBuilder("hubble_tls.check.status").ofLongs()
                .setDescription("Verdict of each check: 0 ok, 1 warn, 2 critical, 3 error")
                .buildWithCallback(this::observeStatus);
        meter.gaugeBuilder("hubble_tls.last_pass.timestamp").setUnit("s")
                .setDescription("When the last check pass finished, as Unix time")
                .buildWithCallback(this::observeLastPass);
        this.handshakes = meter.counterBuilder("hubble_tls.handshakes").setUnit("{handshake}")
                .setDescription("Dials of the Hubble server by probe and how they ended")
                .build();
        this.handshakeDuration = meter.histogramBuilder("hubble_tls.handshake.duration")
                .setUnit("s")
                .setDescription("TLS handshake time when it completed, else the probe's time")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.rotations = meter.counterBuilder("hubble_tls.rotations").setUnit("{rotation}")
                .setDescription("Changes of the watched certificate files")
                .build();
    }

    /** Counts the dials of {@code report} and keeps it for the gauges. */
    void record(CheckReport report) {
        last.set(report);
        String node = node(report);
        for (Finding finding : report.findings()) {
            CheckInterval interval = report.timings().get(finding.check());
            if (!CheckDescription.of(finding.check()).dials() || interval == null
                    || finding.reason() == Reason.SKIPPED) {
                continue;
            }
            Attributes probe = Attributes.of(PROBE, finding.check().id(), NODE, node);
            handshakes.add(1, probe.toBuilder().put(OUTCOME, HandshakeOutcomes.of(finding))
                    .build());
            handshakeDuration.record(seconds(duration(finding, interval)), probe);
        }
    }

    /** Counts one change of {@code file}. */
    void recordRotation(String file, Optional<String> node) {
        rotations.add(1, Attributes.of(FILE, file, NODE, node.orElse(defaultNode)));
    }

    private void observeExpiry(ObservableDoubleMeasurement measurement) {
        Instant now = clock.instant();
        certificates().forEach((attributes, facts) -> measurement.record(
                seconds(facts.timeLeft(now)), attributes));
    }

    private void observeNotAfter(ObservableDoubleMeasurement measurement) {
        certificates().forEach((attributes, facts) -> measurement.record(
                facts.notAfter().getEpochSecond(), attributes));
    }

    private void observeStatus(ObservableLongMeasurement measurement) {
        Optional.ofNullable(last.get()).ifPresent(report -> report.findings().forEach(
                finding -> measurement.record(statusValue(finding.status()), Attributes.of(
                        CHECK, finding.check().id(), NODE, node(report)))));
    }

    private void observeLastPass(ObservableDoubleMeasurement measurement) {
        Optional.ofNullable(last.get()).ifPresent(report -> measurement.record(
                report.finishedAt().toEpochMilli() / 1000.0, Attributes.of(NODE, node(report))));
    }

    // One series per certificate; the same certificate seen twice in one role counts once.
    private Map<Attributes, CertificateFacts> certificates() {
        Map<Attributes, CertificateFacts> series = new LinkedHashMap<>();
        Optional.ofNullable(last.get()).ifPresent(report -> report.certificates().forEach(
                facts -> series.putIfAbsent(Attributes.of(ROLE, facts.role().label(),
                        SUBJECT, facts.subject(), SERIAL, facts.serial(), NODE, node(report)),
                        facts)));
        return series;
    }

    private String node(CheckReport report) {
        return report.node().orElse(defaultNode);
    }

    private static Duration duration(Finding finding, CheckInterval interval) {
        String handshake = finding.details().getOrDefault("handshakeMillis", "");
        return handshake.matches("[0-9]{1,12}")
                ? Duration.ofMillis(Long.parseLong(handshake)) : interval.duration();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static long statusValue(Status status) {
        return switch (status) {
            case OK -> 0;
            case WARN -> 1;
            case CRITICAL -> 2;
            case ERROR -> 3;
        };
    }
}
