package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.DemoScenario;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.telemetry.AgentTelemetry;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.KeyKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The whole agent against an embedded Hubble-like node, healthy and then broken. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Hubble-like node (socket and TLS endpoint, Helm-style"
                + " PKI in a projected volume), check it healthy, then with faults switched on"
                + " one at a time. Cleans up after itself. Exits 0 when every verdict is the"
                + " expected one. With --serve, keep the healthy node running instead.")
final class DemoCommand implements Callable<Integer> {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);

    @Option(names = "--key-type", paramLabel = "KIND", defaultValue = "RSA_2048",
            description = "Key type of the PKI: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    KeyKind keyKind;

    @Option(names = "--serve",
            description = "Only start the healthy node and keep it running until stopped"
                    + " (Ctrl-C), printing the commands that check it from another terminal.")
    boolean serve;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        out.println("Starting an embedded Hubble node with a Cilium-style PKI (CA 'Cilium CA',"
                + " " + keyKind + " keys)...");
        try (AgentTelemetry telemetry = AgentTelemetry.fromEnvironment(clock,
                AgentTelemetry.DEFAULT_EVENT_REPEAT, Optional.of(EmbeddedHubble.NODE));
             EmbeddedHubble node = EmbeddedHubble.start(clock, keyKind);
             CheckPass pass = CheckPass.create(settings(node), clock)) {
            out.println("  socket     " + node.socketPath());
            out.println("  TLS        127.0.0.1:" + node.port() + " as " + node.serverName());
            out.println("  relay TLS  " + node.relayFiles().directory());
            return serve ? serveUntilStopped(node, out)
                    : runScenarios(node, pass, telemetry, clock, out) ? 0 : 1;
        } finally {
            out.println("\nEmbedded node stopped and its files removed.");
            stopped.countDown();
        }
    }

    private final CountDownLatch stopped = new CountDownLatch(1);

    // The node's files must be gone before the JVM exits, so the shutdown hook waits for the
    // main thread to close it rather than racing it.
    private int serveUntilStopped(EmbeddedHubble node, PrintWriter out) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            awaitQuietly(stopped, STOP_BOUND);
        }, "demo-stop"));
        String agent = "\"$JAVA_HOME/bin/java\" -jar " + jarPath();
        String material = " --tls-dir " + node.relayFiles().directory();
        out.println("\nServing a healthy node until stopped (Ctrl-C). From another terminal:");
        out.println("  " + agent + " check --socket " + node.socketPath() + " --node-name "
                + EmbeddedHubble.NODE + material);
        out.println("  " + agent + " check --server 127.0.0.1:" + node.port()
                + " --server-name " + node.serverName() + material);
        out.println("  " + agent + " run --socket " + node.socketPath() + " --node-name "
                + EmbeddedHubble.NODE + material + " --interval 10s");
        out.flush();
        awaitQuietly(stopRequested, Duration.ofDays(365));
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration bound) {
        try {
            latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String jarPath() {
        try {
            return Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "hubble-tls-agent.jar";
        }
    }

    private boolean runScenarios(EmbeddedHubble node, CheckPass pass, AgentTelemetry telemetry,
                                 Clock clock, PrintWriter out) throws IOException {
        List<DemoScenario> scenarios = DemoScenario.all();
        int met = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            DemoScenario scenario = scenarios.get(i);
            node.restoreHealthy();
            scenario.fault().apply(node, clock);
            CheckReport report = pass.run();
            telemetry.record(report);
            out.printf("%n── %d/%d  %s%n", i + 1, scenarios.size(), scenario.title());
            out.print(i == 0 ? TextReport.render(report, clock.instant())
                    : TextReport.problems(report));
            boolean expected = verdict(report, scenario, out);
            met += expected ? 1 : 0;
        }
        out.printf("%n%d of %d scenarios ended in the expected verdict.%n", met, scenarios.size());
        return met == scenarios.size();
    }

    private static boolean verdict(CheckReport report, DemoScenario scenario, PrintWriter out) {
        Optional<Reason> actual = report.finding(scenario.check()).map(Finding::reason);
        boolean expected = actual.equals(Optional.of(scenario.expected()))
                && (scenario.expected() != Reason.OK || report.status().exitCode() == 0);
        String said = scenario.expected() == Reason.OK && expected
                ? "every check ok"
                : scenario.check().id() + " reports "
                        + actual.map(Reason::name).orElse("nothing");
        out.println("  => " + (expected ? "as expected: " : "UNEXPECTED: ") + said
                + (expected ? "" : ", expected " + scenario.expected())
                + "; check would exit " + report.status().exitCode());
        return expected;
    }

    private static AgentSettings settings(EmbeddedHubble node) {
        return new AgentSettings(node.socketPath().toString(), node.relayFiles(),
                Optional.of(EmbeddedHubble.NODE), Optional.empty(), Optional.empty(),
                PROBE_TIMEOUT, ExpiryThresholds.defaults(), AgentSettings.DEFAULT_INTERVAL);
    }
}
