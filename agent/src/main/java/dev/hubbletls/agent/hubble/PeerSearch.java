package dev.hubbletls.agent.hubble;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of looking for one node in the peer list.
 *
 * @param peer      the node, when the server lists it
 * @param namesSeen the peer names listed when the search ended, in the order they first
 *                  arrived; deleted peers are gone from it
 */
public record PeerSearch(Optional<HubblePeer> peer, List<String> namesSeen) {

    public PeerSearch {
        Objects.requireNonNull(peer, "peer");
        namesSeen = List.copyOf(namesSeen);
    }
}
