package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAddressTest {

    @ParameterizedTest(name = "{0} -> {1} port {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.7               | 10.0.0.7           | 4244
            10.0.0.7:4244          | 10.0.0.7           | 4244
            10.0.0.7:14244         | 10.0.0.7           | 14244
            ' 10.0.0.7:4244 '      | 10.0.0.7           | 4244
            [fd00::1]:4244         | fd00::1            | 4244
            [fd00::1]              | fd00::1            | 4244
            fd00::1                | fd00::1            | 4244
            ::1                    | ::1                | 4244
            ::ffff:10.0.0.7        | ::ffff:10.0.0.7    | 4244
            1:2:3:4:5:6:7:8        | 1:2:3:4:5:6:7:8    | 4244
            [fe80::1%eth0]:4245    | fe80::1%eth0       | 4245
            kind-worker            | kind-worker        | 4244
            kind-worker:4244       | kind-worker        | 4244
            node-1.example.com:443 | node-1.example.com | 443
            """)
    void parse_acceptsEveryFormCiliumAnnounces(String text, String host, int port) {
        PeerAddress address = PeerAddress.parse(text);

        assertThat(address.host()).isEqualTo(host);
        assertThat(address.port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "''{0}'' is refused naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                | empty
            '   '             | empty
            10.0.0.7:         | port ''
            10.0.0.7:http     | port 'http'
            10.0.0.7:0        | port 0
            10.0.0.7:65536    | port 65536
            10.0.0.7:99999999999 | port '99999999999'
            [fd00::1          | without ']'
            [fd00::1]x        | after ']'
            [fd00::1]:-1      | port -1
            [worker]:4244     | 'worker' is not an IPv6 address
            ab:cd:zz          | 'ab:cd:zz' is not an IPv6 address
            ::1:45001         | '::1:45001' is not an IPv6 address
            [::1:45001]:4244  | '::1:45001' is not an IPv6 address
            1::2::3           | '1::2::3' is not an IPv6 address
            1:2:3:4:5:6:7:8:9 | '1:2:3:4:5:6:7:8:9' is not an IPv6 address
            [fe80::1%]:4244   | zone '' of 'fe80::1%'
            [fe80::1%a/b]:4244 | zone 'a/b' of 'fe80::1%a/b'
            10.0.0.256:4244   | '10.0.0.256' is not an IP address
            node_1 x          | 'node_1 x' is not an IP address
            http://10.0.0.7   | port '//10.0.0.7'
            """)
    void parse_refusesGarbage_namingTheBadValue(String text, String named) {
        assertThatThrownBy(() -> PeerAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.7:4244, 10.0.0.7:4244", "fd00::1, [fd00::1]:4244"})
    void hostPort_bracketsIpv6(String text, String hostPort) {
        assertThat(PeerAddress.parse(text).hostPort()).isEqualTo(hostPort);
    }
}
