package dev.hubbletls.agent.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * How a watcher follows its directory, and why, since when.
 *
 * @param label     what the directory holds, for example {@code relay client material}
 * @param directory the watched directory
 * @param mode      watching, polling or waiting for the directory
 * @param why       why the watcher is in this mode, for a person
 * @param since     when it entered this mode
 */
public record WatchStatus(String label, Path directory, WatchMode mode, String why,
                          Instant since) {

    public WatchStatus {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(since, "since");
    }
}
