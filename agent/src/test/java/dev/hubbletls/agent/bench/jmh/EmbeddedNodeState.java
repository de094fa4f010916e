package dev.hubbletls.agent.bench.jmh;

import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.MaterialLoader;
import java.io.IOException;
import java.time.Clock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A healthy embedded Hubble node with RSA-2048 keys, as Cilium's Helm chart makes them, for
 * the length of a benchmark trial. It runs in the benchmark's JVM: the server's half of
 * each handshake is in the measured time.
 */
@State(Scope.Benchmark)
public class EmbeddedNodeState {

    EmbeddedHubble node;
    ProbeTarget target;
    ClientMaterial material;

    @Setup(Level.Trial)
    public void start() throws IOException {
        node = EmbeddedHubble.start(Clock.systemUTC(), KeyKind.RSA_2048);
        target = new ProbeTarget("127.0.0.1", node.port(), node.serverName());
        material = MaterialLoader.load(node.relayFiles());
        if (!material.complete()) {
            throw new IllegalStateException("the embedded node's relay material is unusable: "
                    + material);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        node.close();
    }
}
