package dev.hubbletls.agent.config;

import dev.hubbletls.agent.hubble.PeerAddress;
import dev.hubbletls.agent.hubble.SocketHubbleClient;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.ServerTlsFiles;
import dev.hubbletls.agent.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a check pass needs to know, validated once at start-up.
 *
 * @param socket     the node-local Hubble socket, a path or a {@code unix://} URI
 * @param tlsFiles   where the relay client material lives
 * @param nodeName   this node's name as Hubble lists it; required unless {@code server} is set
 * @param server     {@code HOST:PORT} to probe directly, skipping discovery
 * @param serverName the TLS server name to expect from {@code server}
 * @param timeout    the bound on each probe
 * @param thresholds when certificate expiry becomes a warning, then critical
 * @param interval   time between passes in {@code run}
 * @param serverTlsDir the Hubble server's certificate and client CA, when mounted: turns on
 *                   the {@code server-client-ca} and {@code server-reload} checks
 */
public record AgentSettings(String socket, TlsFiles tlsFiles, Optional<String> nodeName,
                            Optional<String> server, Optional<String> serverName,
                            Duration timeout, ExpiryThresholds thresholds, Duration interval,
                            Optional<Path> serverTlsDir) {

    /** Relay's dial timeout is 30 s; a node-local probe that needs more is broken. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);

    public AgentSettings {
        requireSocket(socket);
        Objects.requireNonNull(tlsFiles, "tlsFiles");
        nodeName = nodeName.filter(name -> !name.isBlank());
        server = server.filter(address -> !address.isBlank());
        serverName = serverName.filter(name -> !name.isBlank());
        requireWithin("timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        requireWithin("interval", interval, MIN_INTERVAL, MAX_INTERVAL);
        serverTlsDir = serverTlsDir.filter(directory -> !directory.toString().isBlank());
        requireDistinct(serverTlsDir, tlsFiles);
        server.ifPresent(AgentSettings::requireAddress);
        if (server.isPresent() && serverName.isEmpty()) {
            throw new InvalidSettingException("server-name", "",
                    "--server needs --server-name: the name Relay expects the node to present,"
                            + " for example <node>.<cluster>.hubble-grpc.cilium.io");
        }
        if (server.isEmpty() && nodeName.isEmpty()) {
            throw new InvalidSettingException("node-name", "",
                    "set --node-name (or $NODE_NAME) to the node whose Hubble server to check,"
                            + " or give --server and --server-name to dial one directly");
        }
    }

    /** Settings without the server's files. */
    public AgentSettings(String socket, TlsFiles tlsFiles, Optional<String> nodeName,
                         Optional<String> server, Optional<String> serverName,
                         Duration timeout, ExpiryThresholds thresholds, Duration interval) {
        this(socket, tlsFiles, nodeName, server, serverName, timeout, thresholds, interval,
                Optional.empty());
    }

    /** The Hubble server's files, when their directory is set. */
    public Optional<ServerTlsFiles> serverTlsFiles() {
        return serverTlsDir.map(ServerTlsFiles::new);
    }

    /** Whether discovery through the socket is skipped. */
    public boolean explicitTarget() {
        return server.isPresent();
    }

    /** The address to probe directly, when {@code server} is set. */
    public Optional<PeerAddress> serverAddress() {
        return server.map(PeerAddress::parse);
    }

    private static void requireSocket(String socket) {
        try {
            SocketHubbleClient.socketPath(socket);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("socket", String.valueOf(socket), e.getMessage());
        }
    }

    // The directory may appear later (the agent waits for it), but one that names the
    // relay's directory again is a mix-up the checks could only explain as missing files.
    private static void requireDistinct(Optional<Path> serverTlsDir, TlsFiles tlsFiles) {
        if (serverTlsDir.filter(tlsFiles.directory()::equals).isPresent()) {
            throw new InvalidSettingException("server-tls-dir", serverTlsDir.get().toString(),
                    "must differ from --tls-dir: mount hubble-server-certs (tls.crt, ca.crt)"
                            + " in a directory of its own");
        }
    }

    private static void requireAddress(String address) {
        try {
            PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("server", address,
                    "expected HOST:PORT, IP, or [IPv6]:PORT: " + e.getMessage());
        }
    }

    private static void requireWithin(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSettingException(key, DurationText.format(value),
                    "must be between " + DurationText.format(min) + " and "
                            + DurationText.format(max));
        }
    }
}
