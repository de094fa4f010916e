package dev.hubbletls.agent.telemetry;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One OTLP/gRPC export method over a grpc-java channel. Retries follow the exporter's retry
 * policy through gRPC's own retry support; every call is bounded by the exporter's timeout.
 *
 * <p>A client certificate for the collector connection ({@code OTEL_EXPORTER_OTLP_CLIENT_KEY})
 * is not used over gRPC, because the exporter hands it over only inside an SSLContext that
 * grpc-java cannot take apart; the http/protobuf protocol uses it.
 */
final class GrpcChannelSender implements GrpcSender {

    private static final List<String> RETRYABLE = List.of("CANCELLED", "DEADLINE_EXCEEDED",
            "RESOURCE_EXHAUSTED", "ABORTED", "OUT_OF_RANGE", "UNAVAILABLE", "DATA_LOSS");
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new BytesMarshaller();

    private final ManagedChannel channel;
    private final GrpcSenderConfig config;
    private final MethodDescriptor<byte[], byte[]> method;

    private GrpcChannelSender(ManagedChannel channel, GrpcSenderConfig config) {
        this.channel = channel;
        this.config = config;
        this.method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(config.getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    static GrpcChannelSender open(GrpcSenderConfig config) {
        URI endpoint = config.getEndpoint();
        boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(endpoint.getHost(),
                port, tls ? tlsCredentials(config) : InsecureChannelCredentials.create());
        RetryPolicy retry = config.getRetryPolicy();
        if (retry == null) {
            builder.disableRetry();
        } else {
            builder.defaultServiceConfig(serviceConfig(config.getFullMethodName(), retry))
                    .enableRetry();
        }
        return new GrpcChannelSender(builder.build(), config);
    }

    @Override
    public void send(MessageWriter writer, Consumer<GrpcResponse> onResponse,
                     Consumer<Throwable> onError) {
        byte[] request;
        try {
            request = serialize(writer);
        } catch (IOException e) {
            onError.accept(e);
            return;
        }
        CallOptions options = CallOptions.DEFAULT
                .withDeadlineAfter(config.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Compressor compressor = config.getCompressor();
        if (compressor != null && "gzip".equals(compressor.getEncoding())) {
            options = options.withCompression("gzip");
        }
        Channel withHeaders = ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers()));
        ClientCalls.asyncUnaryCall(withHeaders.newCall(method, options), request,
                new ResponseObserver(onResponse, onError));
    }

    @Override
    public CompletableResultCode shutdown() {
        channel.shutdown();
        return CompletableResultCode.ofSuccess();
    }

    private Metadata headers() {
        Metadata metadata = new Metadata();
        Map<String, List<String>> headers = config.getHeadersSupplier() == null
                ? Map.of() : config.getHeadersSupplier().get();
        headers.forEach((name, values) -> values.forEach(value -> metadata.put(
                Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value)));
        return metadata;
    }

    private static byte[] serialize(MessageWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                Math.max(0, writer.getContentLength()));
        writer.writeMessage(out);
        return out.toByteArray();
    }

    private static ChannelCredentials tlsCredentials(GrpcSenderConfig config) {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        if (config.getTrustManager() != null) {
            credentials.trustManager(config.getTrustManager());
        }
        return credentials.build();
    }

    // gRPC's service config is JSON-shaped: numbers are doubles, durations "1.5s" strings.
    private static Map<String, ?> serviceConfig(String fullMethodName, RetryPolicy retry) {
        String service = fullMethodName.substring(0, fullMethodName.lastIndexOf('/'));
        Map<String, Object> policy = Map.of(
                "maxAttempts", (double) retry.getMaxAttempts(),
                "initialBackoff", seconds(retry.getInitialBackoff()),
                "maxBackoff", seconds(retry.getMaxBackoff()),
                "backoffMultiplier", retry.getBackoffMultiplier(),
                "retryableStatusCodes", RETRYABLE);
        return Map.of("methodConfig", List.of(Map.of(
                "name", List.of(Map.of("service", service)),
                "retryPolicy", policy)));
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).toPlainString() + "s";
    }

    /**
     * Hands an answer to the exporter as a response, and a failed call as the gRPC status
     * exception, whose cause (for example {@code UNAVAILABLE: Connection refused}) then
     * reaches the agent's export warning.
     */
    private record ResponseObserver(Consumer<GrpcResponse> onResponse,
                                    Consumer<Throwable> onError)
            implements StreamObserver<byte[]> {

        @Override
        public void onNext(byte[] message) {
            onResponse.accept(new Response(GrpcStatusCode.OK, "", message));
        }

        @Override
        public void onError(Throwable error) {
            onError.accept(Status.fromThrowable(error).asRuntimeException());
        }

        @Override
        public void onCompleted() {
            // The single response already went out with onNext.
        }
    }

    private record Response(GrpcStatusCode getStatusCode, String getStatusDescription,
                            byte[] getResponseMessage) implements GrpcResponse {
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
