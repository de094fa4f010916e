package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeNameTest {

    @ParameterizedTest(name = "peer {0} matches wanted {1}: {2}")
    @CsvSource({
        "prod/worker-1, worker-1, true",
        "prod/worker-1, prod/worker-1, true",
        "prod/worker-1, staging/worker-1, false",
        "prod/worker-1, worker-2, false",
        "worker-1, worker-1, true",
        "worker-1, default/worker-1, true",
        "worker-1, prod/worker-1, false",
        "worker-10, worker-1, false",
    })
    void matches_nodePartMustBeEqual_clusterOnlyWhenAskedFor(String peer, String wanted,
                                                             boolean matches) {
        assertThat(NodeName.parse(peer).matches(NodeName.parse(wanted))).isEqualTo(matches);
    }

    @Test
    void serverName_usesPrefixOrDefaultCluster() {
        assertThat(NodeName.parse("prod.eu/ip-10-0-0-1.ec2.internal").serverName())
                .isEqualTo("ip-10-0-0-1-ec2-internal.prod-eu.hubble-grpc.cilium.io");
        assertThat(NodeName.parse("kind-worker").serverName())
                .isEqualTo("kind-worker.default.hubble-grpc.cilium.io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/worker-1", "prod/", "a/b/c"})
    void parse_refusesMalformedNames_namingThem(String name) {
        assertThatThrownBy(() -> NodeName.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
    }
}
