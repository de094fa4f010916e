package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassHeartbeatTest {

    private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration BOUND = PassHeartbeat.stuckBound(INTERVAL, Duration.ofSeconds(5));

    private final MutableClock clock = new MutableClock(START);
    private final PassHeartbeat heartbeat = new PassHeartbeat(clock, INTERVAL, BOUND);

    @Test
    void stuckBound_isThreeIntervalsAndFourTimeouts() {
        assertThat(BOUND).isEqualTo(Duration.ofSeconds(200));
    }

    @Test
    void beforeFirstPass_aliveButNotReady() {
        assertThat(heartbeat.liveness().alive()).isTrue();
        assertThat(heartbeat.ready()).isFalse();
        assertThat(heartbeat.nextPassAt()).isEmpty();
    }

    @Test
    void passFinished_readyWithReportAndNextPassOneIntervalLater() {
        CheckReport report = SampleReports.of(START, List.of());
        heartbeat.around(() -> {
            clock.advance(Duration.ofSeconds(3));
            return report;
        }).get();

        assertThat(heartbeat.ready()).isTrue();
        assertThat(heartbeat.latest()).contains(report);
        assertThat(heartbeat.nextPassAt()).contains(START.plusSeconds(63));
    }

    @Test
    void passRunningLongerThanBound_isStuck() {
        heartbeat.started();
        clock.advance(BOUND);
        assertThat(heartbeat.liveness().alive()).isTrue();

        clock.advance(Duration.ofSeconds(1));

        PassHeartbeat.Liveness liveness = heartbeat.liveness();
        assertThat(liveness.alive()).isFalse();
        assertThat(liveness.message()).contains("still running", "201 s ago", "200 s");
    }

    @Test
    void noPassStartedLongAfterTheLast_isStuck() {
        heartbeat.started();
        heartbeat.finished(Optional.of(SampleReports.of(START, List.of())));
        clock.advance(BOUND.plusSeconds(1));

        assertThat(heartbeat.liveness().alive()).isFalse();
        assertThat(heartbeat.liveness().message()).contains("no pass started since");
    }

    @Test
    void passThatThrew_keepsLoopAliveButNotReady() {
        try {
            heartbeat.around(() -> {
                throw new IllegalStateException("boom");
            }).get();
        } catch (IllegalStateException expected) {
            // The loop logs it; the heartbeat only has to have seen the pass end.
        }
        clock.advance(INTERVAL);

        assertThat(heartbeat.liveness().alive()).isTrue();
        assertThat(heartbeat.ready()).isFalse();
    }
}
