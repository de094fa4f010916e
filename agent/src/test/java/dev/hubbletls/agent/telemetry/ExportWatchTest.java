package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ExportWatchTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final Outcome outcome = new Outcome();
    private final SpanExporter exporter = new ExportWatch(clock).watch(outcome);

    @Test
    void lastingOutage_warnsOnce_summarisesEveryTenMinutes_andNotesTheRecovery() {
        try (LogCapture log = new LogCapture()) {
            outcome.failing = true;
            for (int i = 0; i < 30; i++) {
                exporter.export(List.of());
                clock.advance(Duration.ofSeconds(30));
            }
            assertThat(messages(log, Level.WARNING)).hasSize(2);
            assertThat(messages(log, Level.WARNING).get(0))
                    .contains("failed (Connection refused)").contains("every 10 min");
            assertThat(messages(log, Level.WARNING).get(1))
                    .contains("still failing: 20 exports failed in the last 10 min,"
                            + " 21 in this outage");

            outcome.failing = false;
            exporter.export(List.of());
            exporter.export(List.of());

            assertThat(messages(log, Level.INFO)).hasSize(3).last().asString()
                    .contains("works again after 30 failed exports");
        }
    }

    private static List<String> messages(LogCapture log, Level level) {
        return log.atLeast(level).stream()
                .filter(record -> record.getLoggerName().endsWith("ExportWatch"))
                .map(LogRecord::getMessage)
                .toList();
    }

    /** An exporter that fails while told to, as one in front of a dead collector does. */
    private static final class Outcome implements SpanExporter {

        boolean failing;

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return failing
                    ? CompletableResultCode.ofExceptionalFailure(
                            new ConnectException("Connection refused"))
                    : CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
