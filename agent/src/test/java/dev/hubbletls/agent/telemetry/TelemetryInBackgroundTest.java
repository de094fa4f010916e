package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.InvalidSettingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TelemetryInBackgroundTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final CheckReport EMPTY_PASS = new CheckReport(Optional.empty(),
            Optional.empty(), NOW, NOW, List.of(), List.of(), Map.of());

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordingBeforeTheBuildIsDone_waitsForIt_andLosesNothing() throws Exception {
        InMemoryTelemetry memory = new InMemoryTelemetry(Clock.systemUTC(), Duration.ofHours(1),
                Optional.empty());
        CountDownLatch release = new CountDownLatch(1);
        try (TelemetryInBackground background = TelemetryInBackground.start(() -> {
            awaitQuietly(release);
            return memory.telemetry;
        })) {
            Thread recorder = Thread.ofPlatform().start(() -> background.record(EMPTY_PASS));
            assertThat(recorder.join(Duration.ofMillis(200))).as("record waits for the build")
                    .isFalse();

            release.countDown();

            assertThat(recorder.join(Duration.ofSeconds(10))).isTrue();
            assertThat(background.await()).isSameAs(memory.telemetry);
            assertThat(memory.collectMetrics()).extracting(metric -> metric.getName())
                    .contains("hubble_tls.last_pass.timestamp");
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badSetting_isThrownByAwait_whileRecordingAndClosingDoNothing() {
        InvalidSettingException bad = new InvalidSettingException("OTEL_TRACES_SAMPLER",
                "sometimes", "unknown sampler");
        TelemetryInBackground background = TelemetryInBackground.start(() -> {
            throw bad;
        });

        assertThatThrownBy(background::await).isSameAs(bad);
        assertThatCode(() -> {
            background.record(EMPTY_PASS);
            background.recordRotation("/tls/client.crt");
            background.close();
        }).doesNotThrowAnyException();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void classMissingFromTheJar_isThrownByAwait_andCloseDoesNotHang() {
        NoClassDefFoundError missing = new NoClassDefFoundError("io/opentelemetry/Missing");
        TelemetryInBackground background = TelemetryInBackground.start(() -> {
            throw missing;
        });

        assertThatThrownBy(background::await).isSameAs(missing);
        assertThatCode(background::close).doesNotThrowAnyException();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void buildThatBlocks_isGivenUpAtTheDeadline_andNothingWaitsForItAfterwards() {
        CountDownLatch never = new CountDownLatch(1);
        TelemetryInBackground background = TelemetryInBackground.start(() -> {
            awaitQuietly(never);
            return null;
        }, Duration.ofSeconds(1));

        assertThatThrownBy(background::await).isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid setting OTEL_*: telemetry was not set up 1 s after start-up"
                        + " began; a file an OTEL_* variable names may block (a FIFO, a hung"
                        + " mount): fix or unset it");
        long before = System.nanoTime();
        background.record(EMPTY_PASS);
        background.recordRotation("/tls/client.crt");
        background.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        never.countDown();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unexpectedFailureOfTheBuild_isAnInvalidSettingNamingIt() {
        TelemetryInBackground background = TelemetryInBackground.start(() -> {
            throw new IllegalArgumentException("Failed to read /otel/ca.crt");
        });

        assertThatThrownBy(background::await).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("Failed to read /otel/ca.crt")
                .hasMessageEndingWith("fix or unset the OpenTelemetry variables (OTEL_*)");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
