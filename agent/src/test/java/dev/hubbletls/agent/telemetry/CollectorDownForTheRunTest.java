package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckLoop;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.demo.TlsServerSetup.ClientAuthMode;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A collector that refuses connections, or accepts them and never answers, for a whole run
 * of the check loop while metrics are exported every 100 ms: every pass still comes on time
 * with the verdict of its state, recording never holds a pass, one summarised warning is
 * logged, and closing stays within its bound.
 */
class CollectorDownForTheRunTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final int PASSES = 16;
    /** Passes between switching client authentication between required and optional. */
    private static final int STATE_PASSES = 4;
    private static final long ON_TIME_MILLIS = INTERVAL.toMillis() * 11 / 10 + 400;
    private static final Map<String, String> POD_ENV = Map.of("NODE_NAME", EmbeddedHubble.NODE);

    private static EmbeddedNode embedded;

    @BeforeAll
    static void startNode() throws IOException {
        embedded = new EmbeddedNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        embedded.close();
    }

    @ParameterizedTest(name = "collector {0}")
    @ValueSource(strings = {"refusing", "silent"})
    void collectorDownForTheWholeRun_passesOnTime_verdictsIntact_oneWarning(String collector)
            throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LogCapture log = new LogCapture()) {
            String endpoint = "http://127.0.0.1:" + ("silent".equals(collector)
                    ? silent.getLocalPort() : closedPort());
            Run run;
            long closingStarted;
            try (AgentTelemetry telemetry = AgentTelemetry.configure(POD_ENV, Map.of(
                    "otel.exporter.otlp.endpoint", endpoint,
                    "otel.exporter.otlp.timeout", "300ms",
                    "otel.metric.export.interval", "100",
                    "otel.bsp.schedule.delay", "50",
                    "otel.blrp.schedule.delay", "50"), embedded.clock,
                    AgentTelemetry.DEFAULT_EVENT_REPEAT, Optional.of(EmbeddedHubble.NODE))) {
                run = Run.of(telemetry);
                closingStarted = System.nanoTime();
            }
            long closeMillis = (System.nanoTime() - closingStarted) / 1_000_000;

            assertThat(run.reports()).hasSize(PASSES);
            for (int pass = 0; pass < PASSES; pass++) {
                Reason expected = (pass / STATE_PASSES) % 2 == 0
                        ? Reason.OK : Reason.MTLS_NOT_ENFORCED;
                assertThat(run.reports().get(pass).finding(CheckId.CLIENT_CERT_REQUIRED)
                        .orElseThrow().reason()).as("pass " + pass).isEqualTo(expected);
            }
            assertThat(run.waitedMillis()).allSatisfy(waited -> assertThat(waited)
                    .isLessThanOrEqualTo(ON_TIME_MILLIS));
            assertThat(run.slowestRecordMillis()).isLessThan(250);
            assertThat(closeMillis).isLessThan(AgentTelemetry.CLOSE_BOUND.toMillis() + 1000);
            assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(warning -> {
                assertThat(warning.getLoggerName()).endsWith("ExportWatch");
                assertThat(warning.getMessage()).contains(endpoint)
                        .contains("checks go on unaffected");
            });
        } finally {
            embedded.restoreHealthy();
        }
    }

    /**
     * What a run of the loop gave.
     *
     * @param waitedMillis from the end of each listener call to the start of the next pass
     */
    private record Run(List<CheckReport> reports, List<Long> waitedMillis,
                       long slowestRecordMillis) {

        static Run of(AgentTelemetry telemetry) throws Exception {
            List<CheckReport> reports = new ArrayList<>();
            List<Long> waited = new ArrayList<>();
            long[] slowest = {0};
            Instant[] lastEnd = {null};
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Throwable> broken = new AtomicReference<>();
            embedded.restoreHealthy();
            try (CheckLoop loop = new CheckLoop(embedded.pass::run, INTERVAL, report -> {
                if (done.getCount() == 0) {
                    return;
                }
                try {
                    if (lastEnd[0] != null) {
                        waited.add(Duration.between(lastEnd[0], report.startedAt()).toMillis());
                    }
                    long started = System.nanoTime();
                    telemetry.record(report);
                    slowest[0] = Math.max(slowest[0], (System.nanoTime() - started) / 1_000_000);
                    reports.add(report);
                    switchState(reports.size());
                    lastEnd[0] = Instant.now();
                    if (reports.size() == PASSES) {
                        done.countDown();
                    }
                } catch (Throwable e) {
                    broken.set(e);
                    done.countDown();
                }
            }, new SplittableRandom(5))) {
                loop.start();
                assertThat(done.await(60, TimeUnit.SECONDS)).as("passes done").isTrue();
            }
            assertThat(broken.get()).isNull();
            return new Run(reports, waited, slowest[0]);
        }

        private static void switchState(int passesSoFar) throws IOException {
            if (passesSoFar % STATE_PASSES != 0) {
                return;
            }
            embedded.restoreHealthy();
            if ((passesSoFar / STATE_PASSES) % 2 == 1) {
                embedded.node.reconfigure(embedded.node.setup()
                        .withClientAuth(ClientAuthMode.OPTIONAL));
            }
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
