package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotificationType;
import org.junit.jupiter.api.Test;

class PeerDirectoryTest {

    private final PeerDirectory directory = new PeerDirectory(NodeName.parse("worker-1"));

    @Test
    void deleted_wantedNodeIsGoneFromTheResult() {
        directory.apply(change("worker-1", "10.0.0.1", ChangeNotificationType.PEER_ADDED));
        directory.apply(change("worker-2", "10.0.0.2", ChangeNotificationType.PEER_ADDED));

        boolean found = directory.apply(
                change("worker-1", "10.0.0.1", ChangeNotificationType.PEER_DELETED));

        assertThat(found).isFalse();
        assertThat(directory.result().peer()).isEmpty();
        assertThat(directory.result().namesSeen()).containsExactly("worker-2");
    }

    @Test
    void updated_addressChangeReplacesThePeerAndKeepsItsPlace() {
        directory.apply(change("worker-1", "10.0.0.1", ChangeNotificationType.PEER_ADDED));
        directory.apply(change("worker-2", "10.0.0.2", ChangeNotificationType.PEER_ADDED));

        boolean found = directory.apply(
                change("worker-1", "10.0.0.9:4244", ChangeNotificationType.PEER_UPDATED));

        assertThat(found).isTrue();
        assertThat(directory.result().peer().orElseThrow().address().host())
                .isEqualTo("10.0.0.9");
        assertThat(directory.result().namesSeen()).containsExactly("worker-1", "worker-2");
    }

    @Test
    void unknownType_changesNothingButCountsAsHeard() {
        boolean found = directory.apply(
                change("worker-1", "10.0.0.1", ChangeNotificationType.UNKNOWN));

        assertThat(found).isFalse();
        assertThat(directory.heardAny()).isTrue();
        assertThat(directory.result().namesSeen()).isEmpty();
    }

    @Test
    void unreadableAddressOfTheWantedNode_isRefusedNamingIt() {
        directory.apply(change("worker-1", "10.0.0.1:http", ChangeNotificationType.PEER_ADDED));

        assertThatThrownBy(directory::result)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.1:http");
    }

    private static ChangeNotification change(String name, String address,
                                             ChangeNotificationType type) {
        return ChangeNotification.newBuilder()
                .setName(name).setAddress(address).setType(type).build();
    }
}
