package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.check.CheckTransitions.Kind;
import dev.hubbletls.agent.check.CheckTransitions.Transition;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckTransitionsTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration REPEAT = Duration.ofHours(1);

    private static final Finding REQUIRED_OK = Finding.ok(CheckId.CLIENT_CERT_REQUIRED,
            "mutual TLS is enforced");
    private static final Finding NOT_ENFORCED = Finding.of(CheckId.CLIENT_CERT_REQUIRED,
            Status.CRITICAL, Reason.MTLS_NOT_ENFORCED, "accepted a client without a certificate");
    private static final Finding HANDSHAKE_OK = Finding.ok(CheckId.MTLS_HANDSHAKE, "works");

    private final CheckTransitions transitions = new CheckTransitions(REPEAT);

    @Test
    void healthyFirstPass_andHealthyAfterwards_areNoNews() {
        assertThat(transitions.next(report(T0, REQUIRED_OK, HANDSHAKE_OK))).isEmpty();
        assertThat(transitions.next(report(T0.plus(REPEAT.multipliedBy(5)), REQUIRED_OK,
                HANDSHAKE_OK))).isEmpty();
    }

    @Test
    void problemOnFirstPass_isRaised_withoutPrevious() {
        List<Transition> news = transitions.next(report(T0, NOT_ENFORCED, HANDSHAKE_OK));

        assertThat(news).containsExactly(new Transition(Kind.RAISED, NOT_ENFORCED,
                Optional.empty()));
    }

    @Test
    void lastingProblem_isQuietUntilTheRepeatInterval_thenRepeatedOncePerInterval() {
        transitions.next(report(T0, NOT_ENFORCED));

        assertThat(transitions.next(report(T0.plusSeconds(60), NOT_ENFORCED))).isEmpty();
        assertThat(transitions.next(report(T0.plus(REPEAT).minusSeconds(1), NOT_ENFORCED)))
                .isEmpty();
        assertThat(transitions.next(report(T0.plus(REPEAT), NOT_ENFORCED)))
                .extracting(Transition::kind).containsExactly(Kind.REPEATED);
        assertThat(transitions.next(report(T0.plus(REPEAT).plusSeconds(60), NOT_ENFORCED)))
                .isEmpty();
        assertThat(transitions.next(report(T0.plus(REPEAT.multipliedBy(2)), NOT_ENFORCED)))
                .extracting(Transition::kind).containsExactly(Kind.REPEATED);
    }

    @Test
    void newMessageWithSameStatusAndReason_isNoNews() {
        Finding expiring = Finding.of(CheckId.SERVER_CERTIFICATE, Status.WARN,
                Reason.CERT_EXPIRING, "20 days left");
        transitions.next(report(T0, expiring));

        Finding dayLater = Finding.of(CheckId.SERVER_CERTIFICATE, Status.WARN,
                Reason.CERT_EXPIRING, "19 days left");
        assertThat(transitions.next(report(T0.plusSeconds(60), dayLater))).isEmpty();
    }

    @Test
    void warnTurningCritical_isChanged_andNamesThePrevious() {
        Finding warn = Finding.of(CheckId.SERVER_CERTIFICATE, Status.WARN,
                Reason.CERT_EXPIRING, "20 days left");
        Finding critical = Finding.of(CheckId.SERVER_CERTIFICATE, Status.CRITICAL,
                Reason.CERT_EXPIRING, "6 days left");
        transitions.next(report(T0, warn));

        List<Transition> news = transitions.next(report(T0.plusSeconds(60), critical));

        assertThat(news).containsExactly(new Transition(Kind.CHANGED, critical,
                Optional.of(warn)));
    }

    @Test
    void healthyAfterProblem_isRecovered_once() {
        transitions.next(report(T0, NOT_ENFORCED));

        assertThat(transitions.next(report(T0.plusSeconds(60), REQUIRED_OK)))
                .containsExactly(new Transition(Kind.RECOVERED, REQUIRED_OK,
                        Optional.of(NOT_ENFORCED)));
        assertThat(transitions.next(report(T0.plusSeconds(120), REQUIRED_OK))).isEmpty();
    }

    @Test
    void skippedCheck_keepsItsLastKnownProblem_withoutRepeating_andRecoversFromIt() {
        Finding skipped = Finding.of(CheckId.CLIENT_CERT_REQUIRED, Status.ERROR,
                Reason.SKIPPED, "not run: this node's Hubble server was not found");
        transitions.next(report(T0, NOT_ENFORCED));

        assertThat(transitions.next(report(T0.plus(REPEAT.multipliedBy(3)), skipped)))
                .isEmpty();
        assertThat(transitions.next(report(T0.plus(REPEAT.multipliedBy(4)), REQUIRED_OK)))
                .extracting(Transition::kind).containsExactly(Kind.RECOVERED);
    }

    @Test
    void skippedOnFirstPass_raisesNothing_andLaterHealthIsNoNews() {
        Finding skipped = Finding.of(CheckId.MTLS_HANDSHAKE, Status.ERROR, Reason.SKIPPED,
                "not run");

        assertThat(transitions.next(report(T0, skipped))).isEmpty();
        assertThat(transitions.next(report(T0.plusSeconds(60), HANDSHAKE_OK))).isEmpty();
    }

    @Test
    void zeroRepeatInterval_isRefused() {
        assertThatThrownBy(() -> new CheckTransitions(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repeat interval");
    }

    private static CheckReport report(Instant finishedAt, Finding... findings) {
        return new CheckReport(Optional.of("node-a"), Optional.empty(),
                finishedAt.minusMillis(200), finishedAt, List.of(findings), List.of(), Map.of());
    }
}
