package dev.hubbletls.agent.bench.jmh;

import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.JsseTlsDialer;
import dev.hubbletls.agent.probe.MtlsHandshakeProbe;
import dev.hubbletls.agent.probe.MtlsHandshakeResult;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One mtls-handshake probe: a TLS 1.3 dial with the relay's certificate, judged. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProbeJmh {

    private MtlsHandshakeProbe probe;

    @Setup
    public void create() {
        Clock clock = Clock.systemUTC();
        probe = new MtlsHandshakeProbe(new JsseTlsDialer(clock), clock, Duration.ofSeconds(5));
    }

    @Benchmark
    public MtlsHandshakeResult mtlsDial(EmbeddedNodeState node) {
        MtlsHandshakeResult result = probe.probe(node.target, node.material.identity().get(),
                node.material.trustBundle());
        if (result.finding().status() != Status.OK) {
            throw new IllegalStateException("the dial failed: " + result.finding().message());
        }
        return result;
    }
}
