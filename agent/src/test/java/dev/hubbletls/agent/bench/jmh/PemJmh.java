package dev.hubbletls.agent.bench.jmh;

import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.MaterialException;
import dev.hubbletls.agent.tls.MaterialLoader;
import dev.hubbletls.agent.tls.PemReader;
import dev.hubbletls.agent.tls.TlsFiles;
import java.security.PrivateKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading the relay's material as every pass does: the certificate, the CA bundle and the
 * RSA-2048 key from the projected volume, with and without the loader's checks (for an RSA
 * pair, that key and certificate share modulus and exponent).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PemJmh {

    @Benchmark
    public ClientMaterial loadRelayMaterial(EmbeddedNodeState node) {
        return MaterialLoader.load(node.node.relayFiles());
    }

    @Benchmark
    public void parsePemOnly(EmbeddedNodeState node, Blackhole sink) throws MaterialException {
        TlsFiles files = node.node.relayFiles();
        sink.consume(PemReader.certificates(files.certificate()));
        sink.consume(PemReader.certificates(files.ca()));
        PrivateKey key = PemReader.privateKey(files.key());
        sink.consume(key);
    }
}
