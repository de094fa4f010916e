package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.CheckTransitions;
import dev.hubbletls.agent.check.CheckTransitions.Kind;
import dev.hubbletls.agent.check.CheckTransitions.Transition;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Announces the news of each pass twice: as log records with an event name, and as events
 * on the pass span, which the collector's alertmanager exporter turns into alerts. Only
 * transitions are announced (see {@link CheckTransitions}), so a steady state stays quiet.
 * A rotation is announced as a log record at once and as a span event on the next pass span.
 */
final class CheckEvents {

    /** Rotations waiting for the next pass span; more than this are only logged as records. */
    private static final int MAX_PENDING_ROTATIONS = 32;

    /** One announcement, ready for both forms. */
    private record Announcement(EventName name, Instant at, Severity severity,
                                String severityText, String message, Attributes attributes) {
    }

    private final Logger logger;
    private final CheckTransitions transitions;
    private final Deque<Announcement> pendingRotations = new ArrayDeque<>();

    CheckEvents(Logger logger, CheckTransitions transitions) {
        this.logger = logger;
        this.transitions = transitions;
    }

    /** Announces the news of {@code report} as records and as events on {@code pass}. */
    void announce(CheckReport report, Span pass) {
        List<Announcement> announcements = new ArrayList<>(drainRotations());
        for (Transition transition : transitions.next(report)) {
            Announcement announcement = of(report, transition);
            emitRecord(announcement, Context.root().with(pass));
            announcements.add(announcement);
        }
        announcements.forEach(announcement -> pass.addEvent(announcement.name().text(),
                announcement.attributes().toBuilder()
                        .put(TelemetryAttributes.MESSAGE, announcement.message()).build(),
                announcement.at()));
    }

    /** Announces that {@code file} changed on disk at {@code at}. */
    void rotation(String file, Instant at, Optional<String> node) {
        AttributesBuilder attributes = Attributes.builder()
                .put(TelemetryAttributes.EVENT_NAME, EventName.CERTIFICATE_ROTATED.text())
                .put(TelemetryAttributes.FILE, file)
                .put(TelemetryAttributes.SEVERITY, "info");
        node.ifPresent(name -> attributes.put(TelemetryAttributes.NODE, name));
        Announcement announcement = new Announcement(EventName.CERTIFICATE_ROTATED, at,
                Severity.INFO, "info", file + " changed on disk; the next pass checks the new"
                        + " material", attributes.build());
        emitRecord(announcement, Context.root());
        synchronized (pendingRotations) {
            if (pendingRotations.size() < MAX_PENDING_ROTATIONS) {
                pendingRotations.add(announcement);
            }
        }
    }

    private List<Announcement> drainRotations() {
        synchronized (pendingRotations) {
            List<Announcement> drained = List.copyOf(pendingRotations);
            pendingRotations.clear();
            return drained;
        }
    }

    private static Announcement of(CheckReport report, Transition transition) {
        Finding finding = transition.finding();
        EventName name = EventName.of(transition.kind(), finding);
        AttributesBuilder attributes = TelemetryAttributes.target(report)
                .put(TelemetryAttributes.EVENT_NAME, name.text())
                .put(TelemetryAttributes.TRANSITION,
                        transition.kind().name().toLowerCase(Locale.ROOT))
                .put(TelemetryAttributes.SEVERITY, alertSeverity(finding.status()));
        TelemetryAttributes.verdict(attributes, finding);
        transition.previous().ifPresent(previous -> attributes
                .put(TelemetryAttributes.PREVIOUS_VERDICT, previous.status().label())
                .put(TelemetryAttributes.PREVIOUS_REASON, previous.reason().name()));
        TelemetryAttributes.details(attributes, finding);
        String message = transition.kind() == Kind.RECOVERED
                ? finding.check().id() + " recovered: " + finding.message()
                : finding.message();
        return new Announcement(name, report.finishedAt(), severity(finding.status()),
                finding.status().label(), message, attributes.build());
    }

    private void emitRecord(Announcement announcement, Context context) {
        logger.logRecordBuilder()
                .setEventName(announcement.name().text())
                .setTimestamp(announcement.at())
                .setContext(context)
                .setSeverity(announcement.severity())
                .setSeverityText(announcement.severityText())
                .setBody(announcement.message())
                .setAllAttributes(announcement.attributes())
                .emit();
    }

    private static Severity severity(Status status) {
        return switch (status) {
            case OK -> Severity.INFO;
            case WARN -> Severity.WARN;
            case CRITICAL, ERROR -> Severity.ERROR;
        };
    }

    // Alertmanager's conventional severity label; "could not tell" pages nobody at night.
    private static String alertSeverity(Status status) {
        return switch (status) {
            case OK -> "info";
            case WARN, ERROR -> "warning";
            case CRITICAL -> "critical";
        };
    }
}
