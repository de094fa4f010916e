package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckInterval;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Draws a finished pass as a trace after the fact: a {@code hubble.tls.check} span over the
 * pass and a child per check that ran, each at the times the report recorded. A span's status
 * is an error exactly when its check's verdict is not ok, that is when the server did not
 * answer as a healthy one does (a refused dial without a certificate is ok, not an error).
 */
final class CheckSpans {

    static final String PASS_SPAN = "hubble.tls.check";

    private final Tracer tracer;

    CheckSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts the pass span with its children ended; the caller adds events and ends it. */
    Span startPass(CheckReport report) {
        List<Finding> problems = report.findings().stream()
                .filter(finding -> finding.status() != Status.OK)
                .toList();
        AttributesBuilder attributes = TelemetryAttributes.target(report)
                .put(TelemetryAttributes.VERDICT, report.status().label())
                .put(TelemetryAttributes.NOT_OK, (long) problems.size());
        Span pass = tracer.spanBuilder(PASS_SPAN)
                .setNoParent()
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(report.startedAt())
                .setAllAttributes(attributes.build())
                .startSpan();
        if (!problems.isEmpty()) {
            pass.setStatus(StatusCode.ERROR, problems.stream()
                    .map(finding -> finding.check().id() + " " + finding.reason())
                    .collect(Collectors.joining(", ")));
        }
        Context parent = Context.root().with(pass);
        report.findings().forEach(finding -> checkSpan(report, finding, parent));
        return pass;
    }

    private void checkSpan(CheckReport report, Finding finding, Context parent) {
        CheckInterval interval = report.timings().get(finding.check());
        if (interval == null) {
            return;
        }
        CheckDescription description = CheckDescription.of(finding.check());
        AttributesBuilder attributes = description.dials() || description.tls()
                ? TelemetryAttributes.target(report)
                : TelemetryAttributes.node(report);
        attributes.put(TelemetryAttributes.PROBE_KIND, description.probeKind());
        attributes.put(TelemetryAttributes.EXPECTED_OUTCOME, description.expectedOutcome());
        TelemetryAttributes.verdict(attributes, finding);
        if (description.tls()) {
            TelemetryAttributes.tls(attributes, finding, report);
        }
        Span span = tracer.spanBuilder(description.spanName())
                .setParent(parent)
                .setSpanKind(description.dials() ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setStartTimestamp(interval.start())
                .setAllAttributes(attributes.build())
                .startSpan();
        if (finding.status() != Status.OK) {
            span.setStatus(StatusCode.ERROR, finding.message());
        }
        span.end(interval.end());
    }
}
