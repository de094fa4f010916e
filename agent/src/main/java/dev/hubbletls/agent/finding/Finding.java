package dev.hubbletls.agent.finding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The verdict of one check: which check, how it ended, why, and what to do about it.
 *
 * @param check   which check this is
 * @param status  the verdict
 * @param reason  the stable reason code
 * @param message what happened and what to do, for a person
 * @param details facts behind the verdict (names, times, fingerprints), in insertion order
 */
public record Finding(CheckId check, Status status, Reason reason, String message,
                      Map<String, String> details) {

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A finding without details. */
    public static Finding of(CheckId check, Status status, Reason reason, String message) {
        return new Finding(check, status, reason, message, Map.of());
    }

    /** A passing finding. */
    public static Finding ok(CheckId check, String message) {
        return of(check, Status.OK, Reason.OK, message);
    }

    /** The same finding with one more detail. */
    public Finding with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new Finding(check, status, reason, message, more);
    }
}
