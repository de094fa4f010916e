package dev.hubbletls.agent.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket bounding how many requests the endpoints answer: kubelet's probes, a
 * Prometheus scrape and a person with a browser fit easily; a loop hammering the port
 * does not get to make the agent busy.
 */
final class RequestBudget {

    private final Clock clock;
    private final int capacity;
    private final double perSecond;
    private double tokens;
    private Instant refilledAt;

    RequestBudget(Clock clock, int capacity, double perSecond) {
        this.clock = clock;
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.tokens = capacity;
        this.refilledAt = clock.instant();
    }

    /** Takes one request's token; false when the budget is spent for now. */
    synchronized boolean tryTake() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void refill() {
        Instant now = clock.instant();
        double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
        if (seconds > 0) {
            tokens = Math.min(capacity, tokens + seconds * perSecond);
            refilledAt = now;
        }
    }
}
