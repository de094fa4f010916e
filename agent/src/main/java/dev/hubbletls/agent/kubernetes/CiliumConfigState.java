package dev.hubbletls.agent.kubernetes;

import java.time.Instant;
import java.util.Map;

/** What the agent knows of Cilium's ConfigMap: not yet read, its data, or why it has none. */
public sealed interface CiliumConfigState {

    /** No answer from the API server yet. */
    record Pending() implements CiliumConfigState {
    }

    /**
     * The ConfigMap's data as last read.
     *
     * @param data   its keys and values
     * @param readAt when it was read
     */
    record Found(Map<String, String> data, Instant readAt) implements CiliumConfigState {

        public Found {
            data = Map.copyOf(data);
        }
    }

    /**
     * The ConfigMap could not be read, and never was.
     *
     * @param problem why, and what to do
     * @param at      when the last attempt failed
     */
    record Unavailable(String problem, Instant at) implements CiliumConfigState {
    }
}
