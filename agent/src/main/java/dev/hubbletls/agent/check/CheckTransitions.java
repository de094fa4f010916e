package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which checks of a report are news: a problem that appeared or changed, one that
 * lasts long enough to be announced again, and a recovery. Telemetry events and Kubernetes
 * Events both announce exactly these, so that a steady state, healthy or not, stays quiet
 * between repetitions.
 *
 * <p>A check's state is its status and reason; a new message alone (fewer days left) is no
 * news. A {@link Reason#SKIPPED} finding says nothing about the server, so it neither raises,
 * repeats nor recovers anything, and the last known state stands. Reports must arrive in the
 * order of their passes; time is taken from each report's end, never from a clock here.
 */
public final class CheckTransitions {

    /** How a check's state moved. */
    public enum Kind {
        /** Healthy, or not known yet, and now a problem. */
        RAISED,
        /** Still a problem, now with another status or reason. */
        CHANGED,
        /** The same problem, unannounced for at least the repeat interval. */
        REPEATED,
        /** A problem before, healthy now. */
        RECOVERED
    }

    /**
     * One piece of news about one check.
     *
     * @param kind     how the state moved
     * @param finding  the finding now
     * @param previous the last known finding, empty on the first report that has the check
     */
    public record Transition(Kind kind, Finding finding, Optional<Finding> previous) {

        public Transition {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /** What is remembered of a check: its last known finding and when it was last announced. */
    private record Known(Finding finding, Instant announcedAt) {
    }

    private final Duration repeat;
    private final Map<CheckId, Known> known = new EnumMap<>(CheckId.class);

    /** Transitions that announce a lasting problem again every {@code repeat}. */
    public CheckTransitions(Duration repeat) {
        Objects.requireNonNull(repeat, "repeat");
        if (repeat.isNegative() || repeat.isZero()) {
            throw new IllegalArgumentException("repeat interval must be positive, got " + repeat);
        }
        this.repeat = repeat;
    }

    /** The news in {@code report}, one transition per check at most, in the report's order. */
    public synchronized List<Transition> next(CheckReport report) {
        Instant now = report.finishedAt();
        List<Transition> news = new ArrayList<>();
        for (Finding finding : report.findings()) {
            if (finding.reason() == Reason.SKIPPED) {
                continue;
            }
            Optional<Known> before = Optional.ofNullable(known.get(finding.check()));
            Optional<Kind> kind = decide(before, finding, now);
            kind.ifPresent(k -> news.add(new Transition(k, finding, before.map(Known::finding))));
            Instant announcedAt = kind.isPresent() || before.isEmpty()
                    ? now : before.get().announcedAt();
            known.put(finding.check(), new Known(finding, announcedAt));
        }
        return List.copyOf(news);
    }

    private Optional<Kind> decide(Optional<Known> before, Finding now, Instant at) {
        boolean problem = now.status() != Status.OK;
        if (before.isEmpty() || before.get().finding().status() == Status.OK) {
            return problem ? Optional.of(Kind.RAISED) : Optional.empty();
        }
        Finding last = before.get().finding();
        if (!problem) {
            return Optional.of(Kind.RECOVERED);
        }
        if (last.status() != now.status() || last.reason() != now.reason()) {
            return Optional.of(Kind.CHANGED);
        }
        boolean due = !at.isBefore(before.get().announcedAt().plus(repeat));
        return due ? Optional.of(Kind.REPEATED) : Optional.empty();
    }
}
