package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.check.Agent;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.config.ServiceSettings;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.http.AgentEndpoints;
import dev.hubbletls.agent.http.AgentServer;
import dev.hubbletls.agent.http.MetricsText;
import dev.hubbletls.agent.kubernetes.KubernetesFeatures;
import dev.hubbletls.agent.kubernetes.KubernetesInBackground;
import dev.hubbletls.agent.telemetry.AgentTelemetry;
import dev.hubbletls.agent.telemetry.TelemetryInBackground;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The agent as a node service: a pass every interval and after each rotation, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pass every --interval (with jitter) and at once after the TLS"
                + " files rotate, until stopped; log every rotation and every change of a"
                + " check's status; serve /livez, /readyz, /status, /metrics and / over HTTP."
                + " Reads --config, then the environment, then flags.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @Mixin
    TargetOptions target;

    @Mixin
    ServiceOptions service;

    @Spec
    CommandSpec spec;

    private final Map<CheckId, Status> lastStatus = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        ServiceSettings configured = ServiceSettings.load(
                service.inputs(spec.commandLine().getParseResult(), System.getenv()));
        AgentSettings settings = configured.agent();
        Clock clock = Clock.systemUTC();
        long startNanos = System.nanoTime();
        PassHeartbeat heartbeat = new PassHeartbeat(clock, settings.interval(),
                PassHeartbeat.stuckBound(settings.interval(), settings.timeout()));
        AgentServer.requireListenable(configured.http());
        GracefulStop stop = GracefulStop.install();
        try (TelemetryInBackground telemetry = TelemetryInBackground.start(
                     () -> AgentTelemetry.fromEnvironment(clock,
                             configured.kubernetes().eventRepeat(), settings.nodeName()));
             KubernetesInBackground kubernetes = KubernetesInBackground.prepare(
                     () -> KubernetesFeatures.start(configured.kubernetes(),
                             settings.nodeName(), System.getenv(), clock, settings.interval()));
             Agent agent = Agent.create(settings, clock,
                     pass -> heartbeat.around(() -> kubernetes.judge(pass.get())),
                     report -> {
                         logChanges(report, startNanos);
                         kubernetes.begin();
                         kubernetes.record(report);
                         telemetry.record(report);
                     })) {
            agent.rotations().subscribe(rotation -> {
                telemetry.recordRotation(rotation.file().toString());
                kubernetes.rotated(rotation.file().toString(), rotation.describe());
            });
            // The first pass runs while telemetry is built and the web server starts: on a
            // small node they overlap, and /readyz says not ready until the pass is done.
            agent.start();
            // A malformed OTEL_* variable stops start-up here, as any other bad setting does.
            MetricsText metrics = metrics(telemetry.await());
            try (AgentServer server = AgentServer.start(configured.http(), new AgentEndpoints(
                    heartbeat, () -> agent.rotations().recent(), metrics,
                    settings.thresholds(), clock))) {
                LOG.info("serving /livez /readyz /status /metrics and / on "
                        + configured.http().host() + ":" + server.port());
                stop.awaitRequest();
                LOG.info("stopping: finishing the pass in progress");
                agent.stop(STOP_BOUND);
            }
        }
        LOG.info("stopped");
        return 0;
    }

    private static MetricsText metrics(AgentTelemetry telemetry) {
        return () -> {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            try {
                telemetry.writeMetrics(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString(StandardCharsets.UTF_8);
        };
    }

    // The first pass is summarised in one line plus one per problem; after that, every change
    // of a check's status gets its line, so a steady state logs nothing.
    private void logChanges(CheckReport report, long startNanos) {
        boolean first = lastStatus.isEmpty();
        if (first) {
            long ok = report.findings().stream().filter(f -> f.status() == Status.OK).count();
            LOG.info(String.format("first pass finished %d ms after start-up: %s, %d of %d"
                            + " checks ok", Duration.ofNanos(System.nanoTime() - startNanos)
                            .toMillis(), report.status().label(), ok, report.findings().size()));
        }
        for (Finding finding : report.findings()) {
            Status before = lastStatus.put(finding.check(), finding.status());
            boolean changed = first ? finding.status() != Status.OK : before != finding.status();
            if (changed) {
                log(finding);
            }
        }
    }

    private static void log(Finding finding) {
        String line = finding.check().id() + " is " + finding.status().label()
                + " [" + finding.reason() + "]: " + finding.message();
        if (finding.status() == Status.OK) {
            LOG.info(line);
        } else {
            LOG.warning(line);
        }
    }
}
