package dev.hubbletls.agent.kubernetes;

import java.time.Instant;

/**
 * One Kubernetes Event on this node's Node object as it should stand after its latest
 * occurrence: a first occurrence creates it, a repeat raises its count.
 *
 * @param name      the Event's object name, fixed at the first occurrence
 * @param type      {@code Normal} or {@code Warning}
 * @param reason    a short CamelCase reason, for example {@code CertExpired}
 * @param message   what happened and what to do
 * @param count     how many times it occurred
 * @param firstSeen when it first occurred
 * @param lastSeen  when it last occurred
 */
public record NodeEvent(String name, String type, String reason, String message, int count,
                        Instant firstSeen, Instant lastSeen) {

    /** A problem an operator should look at. */
    public static final String WARNING = "Warning";
    /** A recovery or a routine change. */
    public static final String NORMAL = "Normal";
}
