package dev.hubbletls.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.Agent;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.watch.Rotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Measures, against the embedded node with production delays, the time from the final
 * rename of kubelet's atomic swap to (a) the rotation being recorded and (b) the check pass
 * that follows having finished. Not part of the test suite: {@code ./mvnw -Pbench test}.
 */
class RotationBenchmark {

    private static final int ROTATIONS = Integer.getInteger("bench.rotations", 200);
    private static final int WARMUP = 10;
    private static final Clock CLOCK = Clock.systemUTC();
    private static final long WAIT_SECONDS = 30;

    private final Map<String, Long> recordedNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> passedNanos = new ConcurrentHashMap<>();
    private final Map<String, Boolean> handshakeOk = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> passes = new ConcurrentHashMap<>();

    @Test
    void rotationToRecordAndToFinishedPass() throws Exception {
        try (EmbeddedHubble node = EmbeddedHubble.start(CLOCK, KeyKind.RSA_2048)) {
            List<IssuedCertificate> clients = mint(node, WARMUP + ROTATIONS);
            KubeletSwap swap = new KubeletSwap(node.relayFiles().directory());
            List<long[]> samples = new ArrayList<>();
            try (Agent agent = Agent.create(settings(node), CLOCK, Agent.Timing.DEFAULTS,
                    RandomGenerator.getDefault(), this::passed)) {
                agent.rotations().subscribe(this::recorded);
                CountDownLatch first = latch("first");
                agent.start();
                first.await(WAIT_SECONDS, TimeUnit.SECONDS);
                for (int i = 0; i < clients.size(); i++) {
                    long[] sample = rotate(swap, node, clients.get(i));
                    if (i >= WARMUP) {
                        samples.add(sample);
                    }
                }
            }
            assertThat(samples).hasSize(ROTATIONS);
            assertThat(handshakeOk.values()).doesNotContain(false);
            print(samples);
        }
    }

    private long[] rotate(KubeletSwap swap, EmbeddedHubble node, IssuedCertificate client)
            throws Exception {
        String serial = client.certificate().getSerialNumber().toString(16);
        CountDownLatch passed = latch(serial);
        swap.stage(node.pki().withRelayClient(client).relayClientFiles());
        long renamed = swap.rename();
        swap.removePrevious();
        assertThat(passed.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("a pass judging serial " + serial).isTrue();
        return new long[] {recordedNanos.get(serial) - renamed, passedNanos.get(serial) - renamed};
    }

    private void recorded(Rotation rotation) {
        long now = System.nanoTime();
        rotation.newSerial().ifPresent(serial -> recordedNanos.putIfAbsent(serial, now));
    }

    private void passed(CheckReport report) {
        long now = System.nanoTime();
        if (report.rotations().isEmpty()) {
            Optional.ofNullable(passes.get("first")).ifPresent(CountDownLatch::countDown);
            return;
        }
        boolean ok = report.finding(CheckId.MTLS_HANDSHAKE).map(Finding::reason)
                .filter(Reason.OK::equals).isPresent();
        for (Rotation rotation : report.rotations()) {
            rotation.newSerial().ifPresent(serial -> {
                passedNanos.putIfAbsent(serial, now);
                handshakeOk.put(serial, ok);
                Optional.ofNullable(passes.get(serial)).ifPresent(CountDownLatch::countDown);
            });
        }
    }

    private CountDownLatch latch(String key) {
        CountDownLatch latch = new CountDownLatch(1);
        passes.put(key, latch);
        return latch;
    }

    private static List<IssuedCertificate> mint(EmbeddedHubble node, int count) {
        List<IssuedCertificate> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(CertificateMint.issue(ClusterPki.relayClientSpec(CLOCK.instant()),
                    node.pki().ca()));
        }
        return clients;
    }

    private static AgentSettings settings(EmbeddedHubble node) {
        return new AgentSettings(node.socketPath().toString(), node.relayFiles(),
                Optional.of(EmbeddedHubble.NODE), Optional.empty(), Optional.empty(),
                AgentSettings.DEFAULT_TIMEOUT, ExpiryThresholds.defaults(), Duration.ofHours(1));
    }

    private static void print(List<long[]> samples) throws IOException {
        String text = String.format("rotations: %d (after %d warm-up)%n"
                        + "final rename -> rotation recorded: median %s, p99 %s, max %s%n"
                        + "final rename -> check pass finished: median %s, p99 %s, max %s%n"
                        + "machine: %d cores, %s %s, %s%n", samples.size(), WARMUP,
                millis(samples, 0, 50), millis(samples, 0, 99), millis(samples, 0, 100),
                millis(samples, 1, 50), millis(samples, 1, 99), millis(samples, 1, 100),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name") + " "
                        + System.getProperty("os.version"));
        System.out.print(text);
        Path out = Path.of("target", "bench", "rotation.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    /** The nearest-rank percentile of one column, in milliseconds. */
    private static String millis(List<long[]> samples, int column, int percentile) {
        List<Long> sorted = samples.stream().map(sample -> sample[column])
                .sorted(Comparator.naturalOrder()).toList();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return String.format("%.1f ms", sorted.get(Math.max(rank, 1) - 1) / 1e6);
    }

    /** Kubelet's atomic writer, split so that the final rename can be timed alone. */
    private static final class KubeletSwap {

        private final Path directory;
        private int version;
        private Path staged;
        private Path previous;

        KubeletSwap(Path directory) {
            this.directory = directory;
        }

        void stage(Map<String, byte[]> files) throws IOException {
            previous = directory.resolve(Files.readSymbolicLink(directory.resolve("..data")));
            staged = directory.resolve("..bench_" + System.nanoTime() + "." + ++version);
            Files.createDirectory(staged);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(staged.resolve(file.getKey()), file.getValue());
            }
            Files.createSymbolicLink(directory.resolve("..data_tmp"), staged.getFileName());
        }

        /** Renames {@code ..data_tmp} over {@code ..data}; returns when, in nanoseconds. */
        long rename() throws IOException {
            long before = System.nanoTime();
            Files.move(directory.resolve("..data_tmp"), directory.resolve("..data"),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return before;
        }

        void removePrevious() throws IOException {
            try (Stream<Path> paths = Files.walk(previous)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
