package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class DialAttemptTest {

    // On loopback a reset lands in connect() only by a narrow race, so the classification
    // of what connect() can throw is checked here directly.
    @Test
    void resetWhileConnecting_isThePeerClosing_notAnUnreachableHost() {
        assertThat(DialAttempt.connectFailure(new SocketException("Connection reset"), false))
                .isEqualTo(Failure.PEER_CLOSED);
        assertThat(DialAttempt.connectFailure(
                new SocketException("Connection reset by peer"), false))
                .isEqualTo(Failure.PEER_CLOSED);
    }

    @Test
    void otherConnectFailures_keepTheirClassification() {
        assertThat(DialAttempt.connectFailure(new ConnectException("Connection refused"), false))
                .isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(DialAttempt.connectFailure(new NoRouteToHostException("No route"), false))
                .isEqualTo(Failure.HOST_UNREACHABLE);
        assertThat(DialAttempt.connectFailure(new UnknownHostException("nowhere"), false))
                .isEqualTo(Failure.HOST_UNREACHABLE);
        assertThat(DialAttempt.connectFailure(new SocketTimeoutException("slow"), false))
                .isEqualTo(Failure.TIMEOUT);
        assertThat(DialAttempt.connectFailure(new SocketException("Connection reset"), true))
                .isEqualTo(Failure.TIMEOUT);
    }
}
