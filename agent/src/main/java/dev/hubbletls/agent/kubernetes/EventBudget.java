package dev.hubbletls.agent.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The spam filter of Kubernetes' own event recorders, for one involved object: a burst of
 * {@value #BURST} Events, then one every five minutes.
 */
final class EventBudget {

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);

    private final Clock clock;
    private int tokens = BURST;
    private Instant refilledAt;

    EventBudget(Clock clock) {
        this.clock = clock;
        this.refilledAt = clock.instant();
    }

    /** Spends one Event; false when the budget is empty for now. */
    synchronized boolean tryTake() {
        Instant now = clock.instant();
        long earned = Duration.between(refilledAt, now).dividedBy(REFILL);
        if (earned > 0) {
            tokens = (int) Math.min(BURST, tokens + earned);
            refilledAt = refilledAt.plus(REFILL.multipliedBy(earned));
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
