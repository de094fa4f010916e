package dev.hubbletls.agent.http;

/**
 * The agent's metrics in Prometheus text exposition format, as {@code /metrics} serves
 * them. The telemetry package supplies the real one; until it is wired, nothing is served.
 */
@FunctionalInterface
public interface MetricsText {

    /** No metrics: an empty exposition, which Prometheus accepts as a scrape of nothing. */
    MetricsText NONE = () -> "";

    /** Every metric, one sample per line, in the text exposition format 0.0.4. */
    String prometheus();
}
