package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.probe.HandshakeOutcome.PostHandshake;
import dev.hubbletls.agent.probe.HandshakeOutcome.Stage;
import dev.hubbletls.agent.testing.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Evidence that does not show how the server treats the client (a handshake that used up
 * the timeout, a bare hang-up) must end in "cannot tell", never in "enforced" or "accepted".
 */
class SlowHandshakeVerdictTest {

    private static final ProbeTarget TARGET =
            new ProbeTarget("127.0.0.1", 4244, "node.default.hubble-grpc.cilium.io");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final TlsDialer slowServer = (target, spec) -> new HandshakeOutcome(
            Stage.AFTER_HANDSHAKE, Failure.NONE, PostHandshake.TOO_SLOW, Optional.empty(),
            "TLSv1.3", "TLS_AES_128_GCM_SHA256", "h2", Duration.ofMillis(1900), List.of(),
            true, List.of("CN=Cilium CA"), Optional.of("too slow to tell"));

    @Test
    void noClientCertificate_slowHandshake_cannotTellInsteadOfNotEnforced() {
        Finding finding = new ClientCertRequiredProbe(slowServer, TIMEOUT).probe(TARGET);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(finding.message()).contains("1900 ms", "raise --timeout");
    }

    @Test
    void foreignClientCertificate_slowHandshake_cannotTellInsteadOfAccepted() {
        Finding finding = new ClientCertVerifiedProbe(slowServer, Clock.systemUTC(), TIMEOUT)
                .probe(TARGET);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
    }

    @Test
    void noClientCertificate_hangUpWithoutCertificateRequest_cannotTell() {
        TlsDialer hangsUp = (target, spec) -> new HandshakeOutcome(Stage.AFTER_HANDSHAKE,
                Failure.NONE, PostHandshake.CLOSED, Optional.empty(), "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", "h2", Duration.ofMillis(5), List.of(), false,
                List.of(), Optional.of("EOF"));

        Finding finding = new ClientCertRequiredProbe(hangsUp, TIMEOUT).probe(TARGET);

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.message()).contains("without asking for a client certificate");
    }

    @Test
    void relayCertificate_slowHandshake_cannotTellInsteadOfHealthy() {
        Finding finding = new MtlsHandshakeProbe(slowServer, Clock.systemUTC(), TIMEOUT)
                .probe(TARGET, new TestPki().relay(), List.of())
                .finding();

        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.TIMEOUT);
    }
}
