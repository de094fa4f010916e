package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.TLS;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded Hubble node's TLS endpoint and PKI, with the pieces a hostile test replaces
 * by its own: the socket it is announced on and the directory the relay's files are read
 * from.
 */
final class HostileNode implements AutoCloseable {

    /** Long enough for a loaded two-core machine, short enough to bound a silent peer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    final Clock clock = Clock.systemUTC();
    final EmbeddedHubble node;

    HostileNode() throws IOException {
        node = EmbeddedHubble.start(clock, KeyKind.EC_P256);
    }

    /** This node as Cilium announces it: name, 127.0.0.1 and its port, TLS server name. */
    ChangeNotification announcement() {
        return ChangeNotification.newBuilder().setName(EmbeddedHubble.NODE)
                .setAddress("127.0.0.1:" + node.port())
                .setTls(TLS.newBuilder().setServerName(node.serverName())).build();
    }

    /** Settings that discover this node through {@code socket} and read {@code files}. */
    AgentSettings settings(Path socket, TlsFiles files) {
        return settings(socket, files, AgentSettings.DEFAULT_INTERVAL);
    }

    /** As {@link #settings(Path, TlsFiles)}, with {@code interval} between passes. */
    AgentSettings settings(Path socket, TlsFiles files, Duration interval) {
        return new AgentSettings(socket.toString(), files, Optional.of(EmbeddedHubble.NODE),
                Optional.empty(), Optional.empty(), PROBE_TIMEOUT, ExpiryThresholds.defaults(),
                interval);
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
