package dev.hubbletls.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerNameMatcherTest {

    private static final String SERVER = "kind-worker.default.hubble-grpc.cilium.io";

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "*.default.hubble-grpc.cilium.io, kind-worker.default.hubble-grpc.cilium.io, true",
            "*.DEFAULT.Hubble-GRPC.cilium.io, KIND-worker.default.hubble-grpc.cilium.io, true",
            "node.default.hubble-grpc.cilium.io, node.default.hubble-grpc.cilium.io., true",
            "*.default.hubble-grpc.cilium.io, default.hubble-grpc.cilium.io, false",
            "*.default.hubble-grpc.cilium.io, a.b.default.hubble-grpc.cilium.io, false",
            "*.hubble-grpc.cilium.io, kind-worker.default.hubble-grpc.cilium.io, false",
            "*.default.hubble-grpc.cilium.io, kind-worker.prod.hubble-grpc.cilium.io, false",
            "kind-*.default.hubble-grpc.cilium.io, kind-a.default.hubble-grpc.cilium.io, false",
            "kind-*.default.hubble-grpc.cilium.io, kind-*.default.hubble-grpc.cilium.io, true",
            "node.*.hubble-grpc.cilium.io, node.default.hubble-grpc.cilium.io, false",
            "*, kind-worker, false",
            "*.*.hubble-grpc.cilium.io, a.default.hubble-grpc.cilium.io, false",
            "'', '', false",
    })
    void matches_followsGoRules(String dnsName, String serverName, boolean expected) {
        assertThat(ServerNameMatcher.matches(dnsName, serverName)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void covers_anyNameOfTheList(boolean withWildcard) {
        List<String> names = withWildcard
                ? List.of("relay.example", "*.default.hubble-grpc.cilium.io")
                : List.of("relay.example", "*.other.hubble-grpc.cilium.io");

        assertThat(ServerNameMatcher.covers(names, SERVER)).isEqualTo(withWildcard);
        assertThat(ServerNameMatcher.covers(List.of(), SERVER)).isFalse();
    }
}
