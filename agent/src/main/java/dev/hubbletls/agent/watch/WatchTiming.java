package dev.hubbletls.agent.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * The delays of a directory watcher. Production uses {@link #DEFAULTS}; tests shorten them.
 *
 * @param settle         a burst of events is over once no event came for this long
 * @param maxSettle      a burst is judged after this long even if events keep coming
 * @param recheckDelay   how long to wait before reading again a set that looks half-written
 * @param pollInterval   how often to look while the directory cannot be watched
 * @param rescanInterval how often to rescan while watching, for changes the kernel does not
 *                       report (a symlink target outside the directory, a replaced directory)
 */
public record WatchTiming(Duration settle, Duration maxSettle, Duration recheckDelay,
                          Duration pollInterval, Duration rescanInterval) {

    /** 50 ms settle, 1 s max settle, 500 ms recheck, 2 s poll, 10 s rescan. */
    public static final WatchTiming DEFAULTS = new WatchTiming(Duration.ofMillis(50),
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(10));

    public WatchTiming {
        requirePositive("settle", settle);
        requirePositive("maxSettle", maxSettle);
        requirePositive("recheckDelay", recheckDelay);
        requirePositive("pollInterval", pollInterval);
        requirePositive("rescanInterval", rescanInterval);
        if (maxSettle.compareTo(settle) < 0) {
            throw new IllegalArgumentException("maxSettle " + maxSettle
                    + " must not be shorter than settle " + settle);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
