package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Hubble server says about itself in {@code observer.Observer/ServerStatus}.
 *
 * @param version   the Hubble version, empty text when an old agent sends none
 * @param uptime    how long the server has run
 * @param numFlows  flows currently in its ring buffer
 * @param maxFlows  the ring buffer's capacity
 * @param seenFlows flows seen since start
 * @param flowsRate flows per second; empty when the server sent 0, as older agents always do
 */
public record ServerStatus(String version, Duration uptime, long numFlows, long maxFlows,
                           long seenFlows, Optional<Double> flowsRate) {

    public ServerStatus {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(flowsRate, "flowsRate");
    }

    /** The status carried by a ServerStatus response. */
    public static ServerStatus from(ServerStatusResponse response) {
        double rate = response.getFlowsRate();
        return new ServerStatus(response.getVersion(), Duration.ofNanos(response.getUptimeNs()),
                response.getNumFlows(), response.getMaxFlows(), response.getSeenFlows(),
                rate == 0 ? Optional.empty() : Optional.of(rate));
    }
}
