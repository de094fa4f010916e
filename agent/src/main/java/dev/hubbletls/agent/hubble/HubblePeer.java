package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import java.util.Objects;
import java.util.Optional;

/**
 * One Hubble server as the peer service announces it.
 *
 * @param name          the peer name, {@code <node>} or {@code <cluster>/<node>}
 * @param address       where its TLS server listens
 * @param tlsServerName the name its certificate must cover; empty when it serves without TLS
 */
public record HubblePeer(String name, PeerAddress address, Optional<String> tlsServerName) {

    public HubblePeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsServerName, "tlsServerName");
    }

    /**
     * The peer a notification announces.
     *
     * @throws IllegalArgumentException naming the address when it is not IP or IP:port
     */
    public static HubblePeer from(ChangeNotification change) {
        Optional<String> serverName = change.hasTls()
                ? Optional.of(change.getTls().getServerName())
                : Optional.empty();
        return new HubblePeer(change.getName(), PeerAddress.parse(change.getAddress()),
                serverName);
    }

    /** Whether the peer announced TLS, as Relay requires by default. */
    public boolean servesTls() {
        return tlsServerName.isPresent();
    }
}
