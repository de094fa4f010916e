package dev.hubbletls.agent.check;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The check loop's pulse, for liveness and readiness: when the current pass started, when
 * the last one finished, and its report. The loop is stuck when a pass runs longer than
 * the bound, or when no pass starts within the bound of the last one finishing.
 */
public final class PassHeartbeat {

    private final Clock clock;
    private final Duration interval;
    private final Duration stuckAfter;
    private final Instant createdAt;
    private Instant passStartedAt;
    private Instant passFinishedAt;
    private CheckReport latest;

    /**
     * A heartbeat for a loop of {@code interval}; a pass or a wait longer than
     * {@code stuckAfter} means the loop is stuck.
     */
    public PassHeartbeat(Clock clock, Duration interval, Duration stuckAfter) {
        this.clock = clock;
        this.interval = interval;
        this.stuckAfter = stuckAfter;
        this.createdAt = clock.instant();
    }

    /**
     * The bound for a loop of {@code interval} whose probes each take up to {@code timeout}:
     * three intervals, so that one slow scheduling is no emergency, plus a pass's worth of
     * timeouts (discovery, the relay's two dials, slack).
     */
    public static Duration stuckBound(Duration interval, Duration timeout) {
        return interval.multipliedBy(3).plus(timeout.multipliedBy(4));
    }

    /** {@code pass}, recording when each run starts and finishes. */
    public Supplier<CheckReport> around(Supplier<CheckReport> pass) {
        return () -> {
            started();
            CheckReport report = null;
            try {
                report = pass.get();
                return report;
            } finally {
                finished(Optional.ofNullable(report));
            }
        };
    }

    /** Records that a pass started now. */
    public synchronized void started() {
        passStartedAt = clock.instant();
    }

    /** Records that the pass finished now, with its report unless it failed. */
    public synchronized void finished(Optional<CheckReport> report) {
        passStartedAt = null;
        passFinishedAt = clock.instant();
        report.ifPresent(finished -> latest = finished);
    }

    /** The report of the last pass that finished. */
    public synchronized Optional<CheckReport> latest() {
        return Optional.ofNullable(latest);
    }

    /** Whether a pass has finished with a report. */
    public synchronized boolean ready() {
        return latest != null;
    }

    /** When the next pass should start, give or take the loop's jitter; empty while one runs. */
    public synchronized Optional<Instant> nextPassAt() {
        if (passStartedAt != null || passFinishedAt == null) {
            return Optional.empty();
        }
        return Optional.of(passFinishedAt.plus(interval));
    }

    /** Whether the loop is alive now, and why not when it is not. */
    public synchronized Liveness liveness() {
        Instant now = clock.instant();
        if (passStartedAt != null) {
            return judge(passStartedAt, now, "the pass that started at " + passStartedAt
                    + " is still running");
        }
        if (passFinishedAt != null) {
            return judge(passFinishedAt, now, "no pass started since the last one finished at "
                    + passFinishedAt);
        }
        return judge(createdAt, now, "no pass started since start-up at " + createdAt);
    }

    private Liveness judge(Instant since, Instant now, String what) {
        Duration elapsed = Duration.between(since, now);
        if (elapsed.compareTo(stuckAfter) <= 0) {
            return new Liveness(true, "check loop alive");
        }
        return new Liveness(false, "check loop stuck: " + what + ", " + elapsed.toSeconds()
                + " s ago, longer than the bound of " + stuckAfter.toSeconds() + " s");
    }

    /**
     * Whether the loop is alive.
     *
     * @param alive   false when the loop is stuck
     * @param message what was seen, for the liveness endpoint's body
     */
    public record Liveness(boolean alive, String message) {
    }
}
