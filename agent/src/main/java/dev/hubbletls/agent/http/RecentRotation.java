package dev.hubbletls.agent.http;

import java.time.Instant;
import java.util.Objects;

/**
 * A rotation of TLS material that the rotation watcher saw, as {@code /status} lists it.
 *
 * @param at      when the new material was seen
 * @param file    the file that changed
 * @param message what changed, for a person (subjects, fingerprints; never key material)
 */
public record RecentRotation(Instant at, String file, String message) {

    public RecentRotation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }
}
