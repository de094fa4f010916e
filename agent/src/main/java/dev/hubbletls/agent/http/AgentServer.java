package dev.hubbletls.agent.http;

import dev.hubbletls.agent.config.HttpSettings;
import dev.hubbletls.agent.config.InvalidSettingException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The HTTP listener of the agent: Helidon SE on virtual threads, serving
 * {@link AgentEndpoints} with small bounds on requests and connections.
 */
public final class AgentServer implements AutoCloseable {

    /** GET and HEAD carry no body; anything larger is refused before it is read. */
    private static final long MAX_BODY_BYTES = 1024;
    private static final int MAX_PROLOGUE_BYTES = 2048;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_CONCURRENT_REQUESTS = 16;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final WebServer server;

    private AgentServer(WebServer server) {
        this.server = server;
    }

    /**
     * Throws the error {@link #start} would for an address that cannot be listened on, without
     * loading the web server: start-up can stop before its first pass, not after it, and
     * without the server's own stack trace.
     */
    public static void requireListenable(HttpSettings settings) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw cannotListen(settings, e.getMessage());
        }
    }

    /** Binds and starts; a bind failure names {@code http.host} and {@code http.port}. */
    public static AgentServer start(HttpSettings settings, AgentEndpoints endpoints) {
        WebServer server;
        try {
            server = build(settings, endpoints);
            server.start();
        } catch (RuntimeException e) {
            throw cannotListen(settings, e.getMessage());
        }
        // Helidon logs a failed bind and returns, with no listener and port -1.
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            throw cannotListen(settings, "the address is in use or not on this machine");
        }
        return new AgentServer(server);
    }

    // Building resolves http.host: a name that does not resolve fails here.
    private static WebServer build(HttpSettings settings, AgentEndpoints endpoints) {
        return WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .maxPayloadSize(MAX_BODY_BYTES)
                .maxTcpConnections(MAX_CONNECTIONS)
                .maxConcurrentRequests(MAX_CONCURRENT_REQUESTS)
                .idleConnectionTimeout(IDLE_TIMEOUT)
                .addProtocol(Http1Config.builder()
                        .maxPrologueLength(MAX_PROLOGUE_BYTES)
                        .maxHeadersSize(MAX_HEADER_BYTES)
                        .build())
                .routing(endpoints::register)
                .build();
    }

    private static InvalidSettingException cannotListen(HttpSettings settings, String why) {
        return new InvalidSettingException("http.port", settings.host() + ":" + settings.port(),
                "cannot listen there (" + why + "); free the port or set http.host and"
                        + " http.port");
    }

    /** The port listened on; the configured one, or the one picked for port 0. */
    public int port() {
        return server.port();
    }

    /** Stops listening; requests in progress get the server's grace period. */
    @Override
    public void close() {
        server.stop();
    }
}
