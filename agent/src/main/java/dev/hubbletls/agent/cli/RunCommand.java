package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.check.Agent;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.telemetry.AgentTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The agent as a node service: a pass every interval and after each rotation, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pass every --interval (with jitter) and at once after the TLS"
                + " files rotate, until stopped; log every rotation and every change of a"
                + " check's status.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @Mixin
    TargetOptions target;

    private final Map<CheckId, Status> lastStatus = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        AgentSettings settings = target.settings();
        Clock clock = Clock.systemUTC();
        CountDownLatch stopped = new CountDownLatch(1);
        long startNanos = System.nanoTime();
        try (AgentTelemetry telemetry = AgentTelemetry.fromEnvironment(clock,
                AgentTelemetry.DEFAULT_EVENT_REPEAT);
             Agent agent = Agent.create(settings, clock, report -> {
                 logChanges(report, startNanos);
                 telemetry.record(report);
             })) {
            agent.rotations().subscribe(
                    rotation -> telemetry.recordRotation(rotation.file().toString()));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("stopping: finishing the pass in progress");
                try {
                    agent.stop(STOP_BOUND);
                    telemetry.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }, "shutdown"));
            agent.start();
            stopped.await();
        }
        return 0;
    }

    private void logChanges(CheckReport report, long startNanos) {
        if (lastStatus.isEmpty()) {
            LOG.info(String.format("first pass finished %d ms after start-up: %s",
                    Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                    report.status().label()));
        }
        for (Finding finding : report.findings()) {
            Status before = lastStatus.put(finding.check(), finding.status());
            if (before != finding.status()) {
                String line = finding.check().id() + " is " + finding.status().label()
                        + " [" + finding.reason() + "]: " + finding.message();
                if (finding.status() == Status.OK) {
                    LOG.info(line);
                } else {
                    LOG.warning(line);
                }
            }
        }
    }
}
