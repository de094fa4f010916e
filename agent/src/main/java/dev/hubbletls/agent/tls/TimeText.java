package dev.hubbletls.agent.tls;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants and spans of time as findings write them. */
final class TimeText {

    private TimeText() {
    }

    /** ISO-8601 in UTC to the second, for example {@code 2026-11-01T00:00:00Z}. */
    static String at(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A span in its largest whole unit, for example {@code 33 days} or {@code 5 hours}. */
    static String span(Duration duration) {
        Duration length = duration.abs();
        if (length.toDays() > 0) {
            return plural(length.toDays(), "day");
        }
        if (length.toHours() > 0) {
            return plural(length.toHours(), "hour");
        }
        return plural(length.toMinutes(), "minute");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
