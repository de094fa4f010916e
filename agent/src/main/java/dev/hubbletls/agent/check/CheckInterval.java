package dev.hubbletls.agent.check;

import java.time.Duration;
import java.time.Instant;

/**
 * When one check of a pass ran.
 *
 * @param start when it started
 * @param end   when it ended
 */
public record CheckInterval(Instant start, Instant end) {

    /** How long it took. */
    public Duration duration() {
        return Duration.between(start, end);
    }
}
