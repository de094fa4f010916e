package dev.hubbletls.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.SampleReports;
import dev.hubbletls.agent.config.KubernetesSettings;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kubernetes features started after the first pass instead of before it. */
@EnableKubernetesMockClient
class KubernetesInBackgroundTest {

    private static final String CONFIG_MAP =
            "/api/v1/namespaces/kube-system/configmaps/cilium-config";

    KubernetesMockServer server;
    KubernetesClient mockClient;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));

    @Test
    @Timeout(30)  // a start that blocked the caller would hang on the latch
    void whileStarting_passesGoThroughUnjudged_thenTheConfigMapIsJudged()
            throws InterruptedException {
        server.expect().get().withPath(CONFIG_MAP).andReturn(500, "etcd down").always();
        CountDownLatch clientBuilt = new CountDownLatch(1);
        KubernetesSettings settings = new KubernetesSettings(true, "kube-system",
                "cilium-config", false, Duration.ofHours(1), "default", Optional.empty());

        try (KubernetesInBackground kubernetes = KubernetesInBackground.prepare(() -> {
            awaitQuietly(clientBuilt);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(
                    new ConfigBuilder(mockClient.getConfiguration())
                            .withRequestRetryBackoffLimit(0).build()).build();
            return KubernetesFeatures.with(client, settings, Optional.empty(), clock,
                    Duration.ofHours(1));
        })) {
            kubernetes.begin();
            CheckReport first = report();
            assertThat(kubernetes.judge(first)).isSameAs(first);
            kubernetes.record(first);

            clientBuilt.countDown();
            Optional<Finding> judged = Eventually.await(
                    () -> kubernetes.judge(report()).finding(CheckId.CILIUM_CONFIG),
                    Optional::isPresent);

            assertThat(judged).map(Finding::reason)
                    .contains(Reason.CILIUM_CONFIG_UNAVAILABLE);
        }
    }

    // A broken kubeconfig fails with an exception; a class missing from the shaded jar with
    // an Error. Either way the features are off and close() returns.
    static Stream<Named<Supplier<KubernetesFeatures>>> failedStarts() {
        return Stream.of(
                Named.of("a broken kubeconfig", () -> {
                    throw new IllegalStateException("kubeconfig names no current context");
                }),
                Named.of("a class missing from the jar", () -> {
                    throw new NoClassDefFoundError("io/fabric8/kubernetes/api/model/Event");
                }));
    }

    @ParameterizedTest
    @MethodSource("failedStarts")
    // In a thread of its own: close() joins a future, which no interrupt ends, so only a
    // separate thread lets a close that waits for a dead start fail instead of hang.
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStartThatFails_leavesTheFeaturesOff_andTheAgentRunning(
            Supplier<KubernetesFeatures> failingStart) {
        KubernetesInBackground kubernetes = KubernetesInBackground.prepare(failingStart);

        kubernetes.begin();
        kubernetes.close();

        CheckReport report = report();
        assertThat(kubernetes.judge(report)).isSameAs(report);
        kubernetes.rotated("client.crt", "rotated");
    }

    @Test
    void closedBeforeTheFirstPassEnded_neverStarts() {
        AtomicInteger starts = new AtomicInteger();
        KubernetesInBackground kubernetes = counting(starts);

        kubernetes.close();
        kubernetes.begin();

        assertThat(starts).hasValue(0);
    }

    @Test
    void begunWithEveryPass_startsOnce() {
        AtomicInteger starts = new AtomicInteger();
        KubernetesInBackground kubernetes = counting(starts);

        kubernetes.begin();
        kubernetes.begin();
        kubernetes.close();

        assertThat(starts).hasValue(1);
    }

    private static KubernetesInBackground counting(AtomicInteger starts) {
        return KubernetesInBackground.prepare(() -> {
            starts.incrementAndGet();
            return KubernetesFeatures.off();
        });
    }

    private CheckReport report() {
        return SampleReports.of(clock.instant(), List.of("*.default.hubble-grpc.cilium.io"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
