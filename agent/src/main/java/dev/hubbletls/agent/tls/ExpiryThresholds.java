package dev.hubbletls.agent.tls;

import java.time.Duration;

/**
 * How close to NotAfter a certificate may come before it is a warning, then critical.
 *
 * @param warn     time left below which a certificate is a warning
 * @param critical time left below which a certificate is critical; not above {@code warn}
 */
public record ExpiryThresholds(Duration warn, Duration critical) {

    /** 30 days: the threshold operators asked for again and again. */
    public static final Duration DEFAULT_WARN = Duration.ofDays(30);
    public static final Duration DEFAULT_CRITICAL = Duration.ofDays(7);

    public ExpiryThresholds {
        if (critical.isNegative() || warn.compareTo(critical) < 0) {
            throw new IllegalArgumentException("expiry thresholds need 0 <= critical <= warn, got"
                    + " warn " + warn.toDays() + " days and critical " + critical.toDays()
                    + " days");
        }
    }

    public static ExpiryThresholds defaults() {
        return new ExpiryThresholds(DEFAULT_WARN, DEFAULT_CRITICAL);
    }
}
