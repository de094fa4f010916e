package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;

/**
 * One problem a check found; a finding leads with its worst concern and names the rest.
 *
 * @param status how bad it is
 * @param reason its stable code
 * @param text   what is wrong and what to do, for a person
 */
record Concern(Status status, Reason reason, String text) {

    static Concern critical(Reason reason, String text) {
        return new Concern(Status.CRITICAL, reason, text);
    }

    static Concern warn(Reason reason, String text) {
        return new Concern(Status.WARN, reason, text);
    }
}
