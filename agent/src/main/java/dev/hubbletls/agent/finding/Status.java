package dev.hubbletls.agent.finding;

import java.util.Collection;
import java.util.Locale;

/**
 * The verdict of one check, ordered from best to worst.
 *
 * <p>{@link #ERROR} means the agent could not tell: the check did not reach a verdict
 * about Hubble, for example because the socket was unreachable. It ranks above
 * {@link #CRITICAL} only for exit codes; an operator reads it as "look at the agent's
 * inputs", not "Hubble is broken".
 */
public enum Status {
    OK(0),
    WARN(1),
    CRITICAL(2),
    ERROR(2);

    private final int exitCode;

    Status(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The exit code of {@code check} when this is the worst status of a pass. */
    public int exitCode() {
        return exitCode;
    }

    /** The worst of the given statuses; {@link #OK} for none. */
    public static Status worst(Collection<Status> statuses) {
        Status worst = OK;
        for (Status status : statuses) {
            if (status.ordinal() > worst.ordinal()) {
                worst = status;
            }
        }
        return worst;
    }

    /** Lower-case name as it appears in reports and telemetry. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
