package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Decides which Events this node's Node object gets: a check turning bad, a check
 * recovering, a rotation. Like Kubernetes' own recorders it counts repeats of the same
 * Event on one object instead of creating new ones, repeats a lasting problem every
 * {@code repeat}, and drops Events beyond a burst budget. Deciding never waits on the API
 * server: what to write goes to the sink, which writes on its own thread.
 */
public final class NodeEvents {

    private static final Logger LOG = Logger.getLogger(NodeEvents.class.getName());
    private static final int MAX_MESSAGE = 1024;

    private final String node;
    private final Duration repeat;
    private final Clock clock;
    private final Consumer<NodeEvent> sink;
    private final EventBudget budget;
    private final StatusChanges changes = new StatusChanges();
    private final Map<String, NodeEvent> series = new HashMap<>();
    private final Map<CheckId, String> openProblems = new EnumMap<>(CheckId.class);
    private long dropped;
    private long lastNameNanos;

    /** Events about {@code node} for {@code sink}; lasting problems repeat every {@code repeat}. */
    public NodeEvents(String node, Duration repeat, Clock clock, Consumer<NodeEvent> sink) {
        this.node = Objects.requireNonNull(node, "node");
        this.repeat = Objects.requireNonNull(repeat, "repeat");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.budget = new EventBudget(clock);
    }

    /** Records what changed since the previous report, and repeats lasting problems when due. */
    public synchronized void record(CheckReport report) {
        Set<CheckId> changed = EnumSet.noneOf(CheckId.class);
        for (StatusChanges.Change change : changes.next(report)) {
            changed.add(change.finding().check());
            recordChange(change);
        }
        for (Finding finding : report.findings()) {
            String key = openProblems.get(finding.check());
            if (key != null && !changed.contains(finding.check()) && due(key)) {
                occur(key, NodeEvent.WARNING, eventReason(finding.reason()), text(finding));
            }
        }
    }

    /** Records that {@code file} was rotated; {@code message} says from what to what. */
    public synchronized void rotated(String file, String message) {
        occur("rotation " + file, NodeEvent.NORMAL, "CertificateRotated", file + ": " + message);
    }

    private void recordChange(StatusChanges.Change change) {
        Finding finding = change.finding();
        if (finding.status() != Status.OK) {
            String key = finding.check().id() + " " + finding.reason();
            openProblems.put(finding.check(), key);
            occur(key, NodeEvent.WARNING, eventReason(finding.reason()), text(finding));
            return;
        }
        openProblems.remove(finding.check());
        occur(finding.check().id() + " recovered", NodeEvent.NORMAL, "CheckRecovered",
                finding.check().id() + " is ok again (was "
                        + change.before().map(Status::label).orElse("unknown") + "): "
                        + finding.message());
    }

    private boolean due(String key) {
        NodeEvent last = series.get(key);
        return last == null || !clock.instant().isBefore(last.lastSeen().plus(repeat));
    }

    private void occur(String key, String type, String reason, String message) {
        if (!budget.tryTake()) {
            dropped++;
            if (dropped == 1 || dropped % 100 == 0) {
                LOG.warning(dropped + " events for node " + node + " dropped: more than "
                        + EventBudget.BURST + " in a burst; the log has every status change");
            }
            return;
        }
        Instant now = clock.instant();
        String shortMessage = message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
        NodeEvent event = series.compute(key, (ignored, last) -> last == null
                ? new NodeEvent(eventName(now), type, reason, shortMessage, 1, now, now)
                : new NodeEvent(last.name(), type, reason, shortMessage, last.count() + 1,
                        last.firstSeen(), now));
        sink.accept(event);
    }

    // Named as client-go names them: the object's name and the time in hexadecimal
    // nanoseconds, kept distinct when two Events start within the same nanosecond.
    private String eventName(Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lastNameNanos = Math.max(nanos, lastNameNanos + 1);
        return node + "." + Long.toHexString(lastNameNanos);
    }

    private static String text(Finding finding) {
        return finding.check().id() + " is " + finding.status().label() + " ["
                + finding.reason() + "]: " + finding.message();
    }

    /** {@code CERT_EXPIRED} as an Event reason: {@code CertExpired}. */
    static String eventReason(Reason reason) {
        StringBuilder camel = new StringBuilder();
        for (String word : reason.name().split("_")) {
            camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return camel.toString();
    }
}
