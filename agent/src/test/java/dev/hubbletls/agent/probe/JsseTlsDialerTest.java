package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.probe.HandshakeOutcome.PostHandshake;
import dev.hubbletls.agent.probe.HandshakeOutcome.Stage;
import dev.hubbletls.agent.testing.TestPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsseTlsDialerTest {

    private static final Duration SHORT = Duration.ofMillis(500);

    private final TestPki pki = new TestPki();
    private final JsseTlsDialer dialer = new JsseTlsDialer(pki.clock);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void anonymousDial_tls13ServerNeedingClientAuth_completesThenReadsTheAlert()
            throws Exception {
        JsseTestServer server = jsse(JsseTestServer.ClientAuth.NEED);

        HandshakeOutcome outcome = dialer.dial(server.target(pki.serverName()),
                DialSpec.anonymous(TestPki.TIMEOUT));

        assertThat(outcome.established()).isTrue();
        assertThat(outcome.stage()).isEqualTo(Stage.AFTER_HANDSHAKE);
        assertThat(outcome.postHandshake()).isEqualTo(PostHandshake.ALERT);
        assertThat(outcome.alert()).contains("certificate_required");
        assertThat(outcome.certificateRequested()).isTrue();
        assertThat(outcome.acceptedIssuers()).containsExactly("CN=Cilium CA");
        assertThat(outcome.protocol()).isEqualTo("TLSv1.3");
        assertThat(outcome.cipherSuite()).startsWith("TLS_");
        assertThat(outcome.alpn()).isEqualTo("h2");
    }

    @Test
    void relayDial_serverFromAnotherCa_stillCapturesThePresentedChain() throws Exception {
        JsseTestServer server = jsse(JsseTestServer.ClientAuth.NEED);
        List<java.security.cert.X509Certificate> foreignBundle =
                List.of(TestPki.otherCa("Another CA", pki.now).certificate());

        HandshakeOutcome outcome = dialer.dial(server.target(pki.serverName()),
                DialSpec.asRelay(pki.relay(), foreignBundle, TestPki.TIMEOUT));

        assertThat(outcome.failure()).isEqualTo(Failure.UNKNOWN_AUTHORITY);
        assertThat(outcome.stage()).isEqualTo(Stage.HANDSHAKE);
        assertThat(outcome.presentedChain()).containsExactlyElementsOf(
                pki.cluster.server().withChain());
        assertThat(outcome.protocol()).isEqualTo("TLSv1.3");
        assertThat(outcome.error()).get().asString().contains("CN=Another CA");
    }

    @Test
    void garbageAnswer_isNotTls() throws Exception {
        HandshakeOutcome outcome = dialer.dial(raw(RawServer.Behaviour.GARBAGE),
                DialSpec.anonymous(TestPki.TIMEOUT));

        assertThat(outcome.failure()).isEqualTo(Failure.NOT_TLS);
        assertThat(outcome.error()).get().asString()
                .contains("Unsupported or unrecognized SSL message");
    }

    @Test
    void immediateClose_isPeerClosedWithoutAlert() throws Exception {
        HandshakeOutcome outcome = dialer.dial(raw(RawServer.Behaviour.CLOSE),
                DialSpec.anonymous(TestPki.TIMEOUT));

        assertThat(outcome.failure()).isEqualTo(Failure.PEER_CLOSED);
        assertThat(outcome.alert()).isEmpty();
        assertThat(outcome.postHandshake()).isEqualTo(PostHandshake.NOT_REACHED);
    }

    @Test
    void tricklingServer_endsWithinTheTimeout() throws Exception {
        ProbeTarget target = raw(RawServer.Behaviour.TRICKLE);
        long start = System.nanoTime();

        HandshakeOutcome outcome = dialer.dial(target, DialSpec.anonymous(SHORT));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(outcome.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(outcome.stage()).isEqualTo(Stage.HANDSHAKE);
        assertThat(took).isLessThan(SHORT.plusMillis(500));
    }

    @Test
    void silentServer_endsWithinTheTimeout() throws Exception {
        ProbeTarget target = raw(RawServer.Behaviour.SILENT);
        long start = System.nanoTime();

        HandshakeOutcome outcome = dialer.dial(target, DialSpec.anonymous(SHORT));

        assertThat(outcome.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(outcome.error()).get().asString().contains("no complete TLS handshake");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SHORT.plusMillis(500));
    }

    @Test
    void refusedPort_isConnectionRefusedAtConnect() throws Exception {
        ProbeTarget closed = new ProbeTarget("127.0.0.1", MtlsHandshakeProbeTest.closedPort(),
                pki.serverName());

        HandshakeOutcome outcome = dialer.dial(closed, DialSpec.anonymous(TestPki.TIMEOUT));

        assertThat(outcome.stage()).isEqualTo(Stage.CONNECT);
        assertThat(outcome.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(outcome.connectionLevel()).isTrue();
    }

    @Test
    void dialSpec_withoutPositiveTimeout_isRejected() {
        assertThatThrownBy(() -> DialSpec.anonymous(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }

    private JsseTestServer jsse(JsseTestServer.ClientAuth auth) throws Exception {
        JsseTestServer started = JsseTestServer.start(pki.cluster.server(), auth,
                JsseTestServer.trusting(pki.trust()));
        servers.add(started);
        return started;
    }

    private ProbeTarget raw(RawServer.Behaviour behaviour) throws Exception {
        RawServer started = new RawServer(behaviour);
        servers.add(started);
        return started.target(pki.serverName());
    }
}
