package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.hubble.proto.observer.ObserverGrpc;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusRequest;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import dev.hubbletls.agent.tls.ClientIdentity;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.ConnectTimeoutException;
import io.grpc.netty.shaded.io.netty.handler.ssl.DelegatingSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One {@code observer.Observer/ServerStatus} call to a Hubble endpoint on a channel of its
 * own, dialled like Hubble Relay dials (grpc-netty, TLS 1.3, ALPN {@code h2}, SNI and
 * hostname check on the server name) or in plaintext, and what the TLS layer saw.
 */
final class ServerStatusDial {

    /** How long closing the probe's channel may take before it is abandoned. */
    static final Duration CHANNEL_CLOSE_BOUND = Duration.ofSeconds(1);

    private static final String TLS_1_3 = "TLSv1.3";
    private static final String NO_SESSION = "NONE";

    static {
        // grpc-netty's JDK contexts are JSSE too, and may be the first TLS of the JVM.
        JsseLimits.raise();
    }

    /**
     * The end of the call.
     *
     * @param response  the server's answer, when the call succeeded
     * @param status    the gRPC status, {@code OK} when the call succeeded
     * @param http2Ready whether the call got onto an HTTP/2 connection the server had
     *                   confirmed with its SETTINGS, that is whether the peer speaks HTTP/2
     * @param handshake the TLS session a handshake completed, on TLS dials
     */
    record Outcome(Optional<ServerStatusResponse> response, Status status, boolean http2Ready,
                   Optional<CompletedHandshake> handshake) {
    }

    /**
     * What a completed TLS handshake negotiated.
     *
     * @param protocol            for example {@code TLSv1.3}
     * @param cipherSuite         the negotiated suite
     * @param applicationProtocol the ALPN protocol, empty when none was agreed
     * @param serverChain         the chain the server presented
     * @param beforeCallEnded     how long before the call ended the session was set up
     */
    record CompletedHandshake(String protocol, String cipherSuite, String applicationProtocol,
                              List<X509Certificate> serverChain, Duration beforeCallEnded) {

        CompletedHandshake {
            serverChain = List.copyOf(serverChain);
        }
    }

    private ServerStatusDial() {
    }

    /**
     * The client TLS context Relay uses: JDK provider, TLS 1.3 only, ALPN {@code h2},
     * {@code identity} as client certificate, {@code trusted} as the only trust anchors.
     */
    static SslContext relayContext(ClientIdentity identity, List<X509Certificate> trusted)
            throws SSLException {
        // A key manager over the identity as it is. Given the key itself, Netty would store
        // it in a password-protected PKCS#12 key store first, and the key derivation of
        // that password cost more CPU than all of a pass's handshakes (docs/benchmarks.md).
        return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                .protocols(TLS_1_3)
                .keyManager(new RecordingKeyManager(Optional.of(identity)))
                .trustManager(trusted)
                .build();
    }

    /** Calls over TLS with {@code context}; SNI and the hostname check use the server name. */
    static Outcome overTls(ProbeTarget target, SslContext context, Duration timeout) {
        HandshakeWitness witness = new HandshakeWitness(context);
        ManagedChannel channel;
        try {
            channel = channel(target, timeout)
                    .overrideAuthority(target.serverName())
                    .sslContext(witness)
                    .build();
        } catch (IllegalArgumentException e) {
            return undiallable(target, e);
        }
        Outcome plain = call(channel, timeout);
        return new Outcome(plain.response(), plain.status(), plain.http2Ready(),
                witness.completed());
    }

    /** Calls in plaintext HTTP/2 with prior knowledge, as a client without TLS would. */
    static Outcome plaintext(ProbeTarget target, Duration timeout) {
        ManagedChannel channel;
        try {
            channel = channel(target, timeout).usePlaintext().build();
        } catch (IllegalArgumentException e) {
            return undiallable(target, e);
        }
        return call(channel, timeout);
    }

    // gRPC writes host and port as a URI authority and refuses what does not parse as one,
    // such as a malformed IPv6 literal; such a host can no more be resolved than a bad name.
    private static Outcome undiallable(ProbeTarget target, IllegalArgumentException e) {
        UnknownHostException unresolvable = new UnknownHostException(target.address()
                + " cannot be dialled: " + e.getMessage());
        unresolvable.initCause(e);
        Status status = Status.UNAVAILABLE.withDescription(unresolvable.getMessage())
                .withCause(unresolvable);
        return new Outcome(Optional.empty(), status, false, Optional.empty());
    }

    // The connect timeout is half the deadline, so a call that runs into its deadline
    // has a TCP connection: the peer accepted and then stayed silent.
    private static NettyChannelBuilder channel(ProbeTarget target, Duration timeout) {
        int connectMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis() / 2));
        return NettyChannelBuilder.forAddress(target.host(), target.port())
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .disableRetry();
    }

    private static Outcome call(ManagedChannel channel, Duration timeout) {
        StreamWitness stream = new StreamWitness();
        try {
            ServerStatusResponse response = ObserverGrpc.newBlockingStub(channel)
                    .withInterceptors(stream)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .serverStatus(ServerStatusRequest.getDefaultInstance());
            return new Outcome(Optional.of(response), Status.OK, true, Optional.empty());
        } catch (StatusRuntimeException e) {
            return new Outcome(Optional.empty(), e.getStatus(), stream.created(),
                    Optional.empty());
        } finally {
            close(channel);
        }
    }

    private static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(CHANNEL_CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first TLS exception in the status's cause chain: the handshake or its alert. */
    static Optional<SSLException> tlsFailure(Status status) {
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return Optional.of(tls);
            }
        }
        return Optional.empty();
    }

    /**
     * Why no TCP connection came about, when the cause chain says so:
     * {@link Reason#TIMEOUT}, {@link Reason#HOST_UNREACHABLE} or
     * {@link Reason#CONNECTION_REFUSED}.
     */
    static Optional<Reason> connectFailure(Status status) {
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            // Netty's connect timeout is a ConnectException too: test it first.
            if (cause instanceof ConnectTimeoutException) {
                return Optional.of(Reason.TIMEOUT);
            }
            if (cause instanceof NoRouteToHostException || cause instanceof UnknownHostException) {
                return Optional.of(Reason.HOST_UNREACHABLE);
            }
            // A reset while connecting means a peer accepted and hung up: someone listens.
            if (cause instanceof ConnectException
                    && !String.valueOf(cause.getMessage()).contains("reset")) {
                return Optional.of(Reason.CONNECTION_REFUSED);
            }
        }
        return Optional.empty();
    }

    /** A duration for a message, in milliseconds. */
    static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    /** The status as one line: code, description and the innermost cause. */
    static String describe(Status status) {
        StringBuilder text = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        if (root != null) {
            text.append(" (").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                text.append(": ").append(root.getMessage());
            }
            text.append(')');
        }
        return text.toString();
    }

    /**
     * Notes whether the call's stream was created on a real transport. grpc-netty marks a
     * connection ready only once the server's HTTP/2 SETTINGS arrived; before that the
     * call waits in the channel and no stream exists.
     */
    private static final class StreamWitness extends ClientStreamTracer.Factory
            implements ClientInterceptor {

        private final AtomicBoolean created = new AtomicBoolean();

        boolean created() {
            return created.get();
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
                                                     CallOptions options, Channel next) {
            return next.newCall(method, options.withStreamTracerFactory(this));
        }

        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
                                                        Metadata headers) {
            return new ClientStreamTracer() {
                @Override
                public void streamCreated(Attributes transportAttributes, Metadata sent) {
                    created.set(true);
                }
            };
        }
    }

    /**
     * Keeps the engines the channel creates, to tell afterwards whether a handshake
     * completed: a completed one leaves a session with a real protocol, a failed or
     * unfinished one the JDK's placeholder session {@code NONE}.
     */
    private static final class HandshakeWitness extends DelegatingSslContext {

        private final List<SSLEngine> engines = new CopyOnWriteArrayList<>();

        HandshakeWitness(SslContext context) {
            super(context);
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            engines.add(engine);
        }

        // The JDK stamps a session with the wall clock when the handshake creates it, so
        // the time since then is measured on the same clock.
        Optional<CompletedHandshake> completed() {
            long nowMillis = System.currentTimeMillis();
            for (SSLEngine engine : engines) {
                SSLSession session = engine.getSession();
                if (!NO_SESSION.equals(session.getProtocol())) {
                    return Optional.of(new CompletedHandshake(session.getProtocol(),
                            session.getCipherSuite(), alpn(engine), serverChain(session),
                            Duration.ofMillis(nowMillis - session.getCreationTime())));
                }
            }
            return Optional.empty();
        }

        private static String alpn(SSLEngine engine) {
            String protocol = engine.getApplicationProtocol();
            return protocol == null ? "" : protocol;
        }

        private static List<X509Certificate> serverChain(SSLSession session) {
            try {
                return Arrays.stream(session.getPeerCertificates())
                        .filter(X509Certificate.class::isInstance)
                        .map(X509Certificate.class::cast)
                        .toList();
            } catch (SSLPeerUnverifiedException e) {
                return List.of();
            }
        }
    }
}
