package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records when each check of one pass started and ended, so that telemetry can draw a span
 * per check after the fact. Checks run on several threads at once; the record is shared.
 */
final class CheckTimer {

    private final Clock clock;
    private final Map<CheckId, CheckInterval> intervals = new EnumMap<>(CheckId.class);

    CheckTimer(Clock clock) {
        this.clock = clock;
    }

    /** Runs {@code check} and records how long it took under {@code id}. */
    Finding time(CheckId id, Supplier<Finding> check) {
        Instant start = clock.instant();
        try {
            return check.get();
        } finally {
            record(id, start);
        }
    }

    /** The time now, to start a check timed by hand. */
    Instant now() {
        return clock.instant();
    }

    /** Records that {@code id} ran from {@code start} until now. */
    synchronized void record(CheckId id, Instant start) {
        intervals.put(id, new CheckInterval(start, clock.instant()));
    }

    /** What was recorded so far. */
    synchronized Map<CheckId, CheckInterval> intervals() {
        return Map.copyOf(intervals);
    }
}
