package dev.hubbletls.agent.telemetry;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/**
 * Lets the OTLP exporter send over gRPC through grpc-java, which the agent ships for Hubble,
 * instead of OkHttp and the Kotlin runtime it brings. Found through {@code META-INF/services}.
 */
public final class GrpcChannelSenderProvider implements GrpcSenderProvider {

    @Override
    public GrpcSender createSender(GrpcSenderConfig config) {
        return GrpcChannelSender.open(config);
    }
}
