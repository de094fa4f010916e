package dev.hubbletls.agent.watch;

import java.util.Locale;

/** How a watcher is following its directory right now. */
public enum WatchMode {
    /** The kernel reports changes; they are seen within the settle delay. */
    WATCHING,
    /** The directory exists but cannot be watched; it is read every poll interval. */
    POLLING,
    /** The directory does not exist; the watcher waits for it, polling. */
    MISSING;

    /** Lower-case name as reports show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
