package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.HubbleException.Kind;
import dev.hubbletls.agent.hubble.NodeDiscovery.Discovery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeDiscoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ServerStatus STATUS = new ServerStatus("1.17.3", Duration.ofHours(5),
            4095, 4095, 120_000, Optional.of(12.5));

    private final HubbleClient client = mock(HubbleClient.class);
    private final NodeDiscovery discovery = new NodeDiscovery(client, TIMEOUT);

    @Test
    void listedWithTls_isOk_namingNodeAddressServerNameAndVersion() throws Exception {
        HubblePeer peer = tlsPeer("kind-worker", "kind-worker.default.hubble-grpc.cilium.io");
        answer("kind-worker", peer);
        when(client.serverStatus(TIMEOUT)).thenReturn(STATUS);

        Discovery result = discovery.discover("kind-worker");

        assertThat(result.finding().check()).isEqualTo(CheckId.DISCOVERY);
        assertThat(result.finding().status()).isEqualTo(Status.OK);
        assertThat(result.finding().message()).contains("kind-worker", "10.244.1.5:4244",
                "kind-worker.default.hubble-grpc.cilium.io", "Hubble 1.17.3");
        assertThat(result.finding().details()).containsEntry("hubble-version", "1.17.3")
                .containsEntry("flows-rate", "12.5/s")
                .doesNotContainKey("server-name-note");
        assertThat(result.peer()).contains(peer);
        assertThat(result.status()).contains(STATUS);
    }

    @Test
    void serverNameOtherThanCiliumWouldGive_staysOk_withNoteForTheCertificateCheck()
            throws Exception {
        answer("prod/worker-1", tlsPeer("prod/worker-1", "worker-1.default.hubble-grpc.cilium.io"));
        when(client.serverStatus(TIMEOUT)).thenReturn(STATUS);

        Discovery result = discovery.discover("prod/worker-1");

        assertThat(result.finding().status()).isEqualTo(Status.OK);
        assertThat(result.finding().details().get("server-name-note")).contains(
                "worker-1.default.hubble-grpc.cilium.io", "worker-1.prod.hubble-grpc.cilium.io",
                "cluster prod");
    }

    @Test
    void peerWithoutTls_isCritical_andStillReturnsThePeerForTheProbes() throws Exception {
        HubblePeer peer = new HubblePeer("kind-worker", PeerAddress.parse("10.244.1.5"),
                Optional.empty());
        answer("kind-worker", peer);
        when(client.serverStatus(TIMEOUT)).thenReturn(STATUS);

        Discovery result = discovery.discover("kind-worker");

        assertThat(result.finding().status()).isEqualTo(Status.CRITICAL);
        assertThat(result.finding().reason()).isEqualTo(Reason.TLS_DISABLED);
        assertThat(result.finding().message()).contains("kind-worker", "without TLS",
                "Relay", "hubble-disable-tls=false", "hubble.tls.enabled=true");
        assertThat(result.peer()).contains(peer);
    }

    @Test
    void nodeNotListed_isError_namingWantedNodeNamesSeenAndHowToPassTheName()
            throws Exception {
        when(client.findPeer(anyString(), any())).thenReturn(
                new PeerSearch(Optional.empty(), List.of("prod/worker-1", "prod/worker-2")));

        Discovery result = discovery.discover("worker-3");

        assertThat(result.finding().status()).isEqualTo(Status.ERROR);
        assertThat(result.finding().reason()).isEqualTo(Reason.NODE_NOT_FOUND);
        assertThat(result.finding().message()).contains("worker-3",
                "prod/worker-1, prod/worker-2", "--node-name", "$NODE_NAME", "spec.nodeName",
                "cluster/");
        assertThat(result.peer()).isEmpty();
    }

    @Test
    void nodeNotListedInLargeCluster_listsTheFirstNamesAndCountsTheRest() throws Exception {
        List<String> names = IntStream.rangeClosed(1, 25).mapToObj(i -> "node-" + i).toList();
        when(client.findPeer(anyString(), any()))
                .thenReturn(new PeerSearch(Optional.empty(), names));

        Discovery result = discovery.discover("worker-3");

        assertThat(result.finding().message()).contains("lists 25", "node-20 and 5 more")
                .doesNotContain("node-21");
    }

    @Test
    void socketUnreachable_isError_carryingThePathAndRemedyFromTheClient() throws Exception {
        String message = "the Hubble socket /var/run/cilium/hubble.sock does not exist: is"
                + " Cilium running";
        when(client.findPeer(anyString(), any()))
                .thenThrow(new HubbleException(Kind.UNREACHABLE, message));

        Discovery result = discovery.discover("kind-worker");

        assertThat(result.finding().status()).isEqualTo(Status.ERROR);
        assertThat(result.finding().reason()).isEqualTo(Reason.SOCKET_UNREACHABLE);
        assertThat(result.finding().message()).isEqualTo(message);
        assertThat(result.finding().details()).containsEntry("problem", "unreachable");
    }

    @Test
    void socketSilent_isSocketUnreachable_markedAsTimeout() throws Exception {
        when(client.findPeer(anyString(), any()))
                .thenThrow(new HubbleException(Kind.TIMEOUT, "did not answer within 2000 ms"));

        Discovery result = discovery.discover("kind-worker");

        assertThat(result.finding().reason()).isEqualTo(Reason.SOCKET_UNREACHABLE);
        assertThat(result.finding().details()).containsEntry("problem", "timeout");
    }

    @Test
    void serverStatusFailsWhileNotifyWorks_staysOk_sayingSoInDetails() throws Exception {
        answer("kind-worker", tlsPeer("kind-worker", "kind-worker.default.hubble-grpc.cilium.io"));
        when(client.serverStatus(TIMEOUT)).thenThrow(new HubbleException(Kind.PROTOCOL,
                "does not implement observer.Observer/ServerStatus"));

        Discovery result = discovery.discover("kind-worker");

        assertThat(result.finding().status()).isEqualTo(Status.OK);
        assertThat(result.finding().message()).contains("version unknown");
        assertThat(result.finding().details().get("server-status"))
                .contains("ServerStatus failed", "does not implement");
        assertThat(result.status()).isEmpty();
    }

    @Test
    void noNodeNameGiven_isNodeNotFound_withoutAskingTheServer() {
        Discovery result = discovery.discover(" ");

        assertThat(result.finding().reason()).isEqualTo(Reason.NODE_NOT_FOUND);
        assertThat(result.finding().message()).contains("--node-name", "$NODE_NAME");
        verifyNoInteractions(client);
    }

    private void answer(String wanted, HubblePeer peer) throws HubbleException {
        when(client.findPeer(wanted, TIMEOUT))
                .thenReturn(new PeerSearch(Optional.of(peer), List.of(peer.name())));
    }

    private static HubblePeer tlsPeer(String name, String serverName) {
        return new HubblePeer(name, PeerAddress.parse("10.244.1.5:4244"),
                Optional.of(serverName));
    }
}
