package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.demo.TlsServerSetup.ClientAuthMode;
import dev.hubbletls.agent.tls.IssuedCertificate;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The port-4244 side of an embedded Hubble node as Cilium serves it: gRPC over TLS 1.3
 * only with ALPN {@code h2}, {@code observer.Observer/ServerStatus}, on a loopback port,
 * with the key pair hot-swappable the way Cilium reloads its certificate files.
 */
public final class HubbleTlsServer implements AutoCloseable {

    /** How long a restart may wait for the old listener to release the port. */
    public static final Duration RESTART_BOUND = Duration.ofSeconds(5);
    /** How long {@link #close()} waits for calls in flight before cutting them. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(HubbleTlsServer.class.getName());
    private static final String TLS_1_3 = "TLSv1.3";
    private static final Duration BIND_RETRY_PAUSE = Duration.ofMillis(20);

    private final StatusService statusService;
    private final CertificateOnDuty certificateOnDuty;
    private final Object lock = new Object();
    private TlsServerSetup setup;
    private Server server;
    private int port;

    private HubbleTlsServer(TlsServerSetup setup, Clock clock) {
        this.statusService = new StatusService(clock);
        this.certificateOnDuty = new CertificateOnDuty(setup.serverCertificate());
        this.setup = setup;
    }

    /** Starts serving on loopback {@code port} (0 picks a free one) with the system clock. */
    public static HubbleTlsServer start(TlsServerSetup setup, int port) throws IOException {
        return start(setup, port, Clock.systemUTC());
    }

    /** Starts serving on loopback {@code port}; {@code clock} drives the reported uptime. */
    public static HubbleTlsServer start(TlsServerSetup setup, int port, Clock clock)
            throws IOException {
        HubbleTlsServer hubble = new HubbleTlsServer(setup, clock);
        synchronized (hubble.lock) {
            hubble.server = hubble.build(port).start();
            hubble.port = hubble.server.getPort();
        }
        return hubble;
    }

    /** The loopback port the server listens on. */
    public int port() {
        synchronized (lock) {
            return port;
        }
    }

    /** The setup the server runs with now. */
    public TlsServerSetup setup() {
        synchronized (lock) {
            return setup;
        }
    }

    /**
     * Presents {@code certificate} from the next handshake on, without a restart, as
     * Cilium does when it notices new certificate files.
     */
    public void serveCertificate(IssuedCertificate certificate) {
        synchronized (lock) {
            certificateOnDuty.serve(certificate);
            setup = setup.withServerCertificate(certificate);
        }
    }

    /**
     * Applies a setup that needs a new TLS context (client auth, trust, plaintext) by
     * restarting the listener on the same port within {@link #RESTART_BOUND}.
     *
     * @throws IOException when the port is not free again within the bound
     */
    public void reconfigure(TlsServerSetup newSetup) throws IOException {
        synchronized (lock) {
            stop(server);
            setup = newSetup;
            certificateOnDuty.serve(newSetup.serverCertificate());
            server = restartOnSamePort();
        }
    }

    /** Stops the listener and cuts calls still running after {@link #SHUTDOWN_GRACE}. */
    @Override
    public void close() {
        synchronized (lock) {
            stop(server);
        }
    }

    private Server restartOnSamePort() throws IOException {
        long deadline = System.nanoTime() + RESTART_BOUND.toNanos();
        while (true) {
            try {
                return build(port).start();
            } catch (IOException e) {
                if (!isBindFailure(e) || System.nanoTime() - deadline > 0) {
                    throw new IOException("cannot listen on 127.0.0.1:" + port + " again within "
                            + RESTART_BOUND + "; is another process holding the port?", e);
                }
                pauseBeforeRetry();
            }
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void pauseBeforeRetry() throws IOException {
        try {
            Thread.sleep(BIND_RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the port to be released", e);
        }
    }

    private Server build(int listenPort) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort))
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .addService(statusService);
        if (!setup.plaintext()) {
            builder.sslContext(sslContext());
        }
        return builder.build();
    }

    private SslContext sslContext() throws IOException {
        SslContextBuilder tls = GrpcSslContexts.configure(
                        SslContextBuilder.forServer(certificateOnDuty), SslProvider.JDK)
                .protocols(TLS_1_3)
                .clientAuth(clientAuth(setup.clientAuth()));
        if (setup.acceptAnyClientIssuer()) {
            tls.trustManager(new AnyClientIssuer());
        } else if (!setup.clientCas().isEmpty()) {
            tls.trustManager(setup.clientCas());
        }
        return tls.build();
    }

    private static ClientAuth clientAuth(ClientAuthMode mode) {
        return switch (mode) {
            case REQUIRE -> ClientAuth.REQUIRE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case NONE -> ClientAuth.NONE;
        };
    }

    private static void stop(Server running) {
        running.shutdown();
        try {
            if (!running.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
                if (!running.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warning("Hubble TLS server did not stop within "
                            + SHUTDOWN_GRACE.multipliedBy(2) + "; its threads may linger");
                }
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
            LOG.log(Level.FINE, "interrupted while stopping the Hubble TLS server", e);
        }
    }

    /**
     * The server's key manager: it looks up the certificate on duty at every handshake.
     * The alias names a generation, and the previous generation stays resolvable, so a
     * handshake that picked its alias just before a swap still gets a matching key and chain.
     */
    private static final class CertificateOnDuty extends X509ExtendedKeyManager {

        private record Duty(String alias, Map<String, IssuedCertificate> byAlias) {
        }

        private final AtomicLong generations = new AtomicLong();
        private final AtomicReference<Duty> duty = new AtomicReference<>();

        CertificateOnDuty(IssuedCertificate first) {
            serve(first);
        }

        void serve(IssuedCertificate certificate) {
            String alias = "hubble-server-" + generations.incrementAndGet();
            duty.updateAndGet(previous -> previous == null
                    ? new Duty(alias, Map.of(alias, certificate))
                    : new Duty(alias, Map.of(alias, certificate,
                            previous.alias(), previous.byAlias().get(previous.alias()))));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers,
                                              SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String alias = aliasFor(keyType);
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            IssuedCertificate certificate = duty.get().byAlias().get(alias);
            return certificate == null
                    ? null : certificate.withChain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            IssuedCertificate certificate = duty.get().byAlias().get(alias);
            return certificate == null ? null : certificate.privateKey();
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        // The JDK asks once per signature scheme's key type (RSA, RSASSA-PSS, EC, EdDSA);
        // offering a key of another type would make it sign with the wrong algorithm.
        private String aliasFor(String keyType) {
            Duty current = duty.get();
            String algorithm = current.byAlias().get(current.alias()).privateKey().getAlgorithm();
            return algorithm.equals(keyType) ? current.alias() : null;
        }
    }

    /** Trusts every client certificate: the misconfiguration the agent must catch. */
    private static final class AnyClientIssuer extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Accepting everything is the point of this trust manager.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {
            // Accepting everything is the point of this trust manager.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {
            // Accepting everything is the point of this trust manager.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a server trust manager only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {
            throw new UnsupportedOperationException("a server trust manager only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {
            throw new UnsupportedOperationException("a server trust manager only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
