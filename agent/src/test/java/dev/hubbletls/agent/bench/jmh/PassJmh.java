package dev.hubbletls.agent.bench.jmh;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole pass as {@code run} makes it: discovery over the socket, the relay's material,
 * the four TLS probes, the ServerStatus call and the plaintext probe, every finding judged.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PassJmh {

    private CheckPass pass;

    @Setup
    public void create(EmbeddedNodeState node) {
        AgentSettings settings = new AgentSettings(node.node.socketPath().toString(),
                node.node.relayFiles(), Optional.of(EmbeddedHubble.NODE), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5), ExpiryThresholds.defaults(),
                Duration.ofSeconds(10));
        pass = CheckPass.create(settings, Clock.systemUTC());
    }

    @TearDown
    public void close() {
        pass.close();
    }

    @Benchmark
    public CheckReport pass() {
        CheckReport report = pass.run();
        if (report.status() != Status.OK) {
            throw new IllegalStateException("the pass was not ok: " + report.findings());
        }
        return report;
    }
}
