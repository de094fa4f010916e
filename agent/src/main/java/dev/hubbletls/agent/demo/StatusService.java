package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.hubble.proto.observer.ObserverGrpc;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusRequest;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Hubble's {@code observer.Observer/ServerStatus} as a node serves it: flow counters,
 * uptime and version, and no connected-node counts (those are Relay's).
 */
public final class StatusService extends ObserverGrpc.ObserverImplBase {

    /** The version the embedded server reports. */
    public static final String VERSION = "1.18.0+embedded";
    private static final long MAX_FLOWS = 4095;

    private final Clock clock;
    private final Instant started;

    public StatusService(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public void serverStatus(ServerStatusRequest request,
                             StreamObserver<ServerStatusResponse> response) {
        long uptimeNanos = Duration.between(started, clock.instant()).toNanos();
        response.onNext(ServerStatusResponse.newBuilder()
                .setNumFlows(MAX_FLOWS)
                .setMaxFlows(MAX_FLOWS)
                .setSeenFlows(MAX_FLOWS + uptimeNanos / 1_000_000)
                .setUptimeNs(uptimeNanos)
                .setVersion(VERSION)
                .build());
        response.onCompleted();
    }
}
