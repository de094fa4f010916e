package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The peer list as a Notify stream has built it so far, searched for one node. */
final class PeerDirectory {

    private final NodeName wanted;
    // Keyed by peer name in the order peers first arrived; an update keeps the position.
    private final Map<String, ChangeNotification> peers = new LinkedHashMap<>();
    private boolean heardAny;

    PeerDirectory(NodeName wanted) {
        this.wanted = wanted;
    }

    /** Applies one change; true when it announced the wanted node. */
    boolean apply(ChangeNotification change) {
        heardAny = true;
        switch (change.getType()) {
            case PEER_ADDED, PEER_UPDATED -> peers.put(change.getName(), change);
            case PEER_DELETED -> peers.remove(change.getName());
            // UNKNOWN or a type newer than our proto: neither adds nor removes a peer.
            default -> {
                return false;
            }
        }
        return peers.containsKey(change.getName()) && isWanted(change.getName());
    }

    /** Whether any notification arrived, even one that changed nothing. */
    boolean heardAny() {
        return heardAny;
    }

    /**
     * The wanted node, if listed, and the names listed now.
     *
     * @throws IllegalArgumentException when the wanted node's address cannot be read
     */
    PeerSearch result() {
        Optional<HubblePeer> peer = peers.values().stream()
                .filter(change -> isWanted(change.getName()))
                .findFirst()
                .map(HubblePeer::from);
        return new PeerSearch(peer, List.copyOf(peers.keySet()));
    }

    private boolean isWanted(String peerName) {
        try {
            return NodeName.parse(peerName).matches(wanted);
        } catch (IllegalArgumentException e) {
            // A name we cannot read is not the one we look for; it still shows in the list.
            return false;
        }
    }
}
