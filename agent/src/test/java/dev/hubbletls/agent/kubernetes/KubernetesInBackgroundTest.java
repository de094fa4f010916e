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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    @Test
    void aClientThatCannotBeBuilt_leavesTheFeaturesOff_andTheAgentRunning() {
        KubernetesInBackground kubernetes = KubernetesInBackground.prepare(() -> {
            throw new IllegalStateException("kubeconfig names no current context");
        });

        kubernetes.begin();
        kubernetes.close();

        CheckReport report = report();
        assertThat(kubernetes.judge(report)).isSameAs(report);
        kubernetes.rotated("client.crt", "rotated");
    }

    @Test
    @Timeout(30)  // a close that waited for a start that died would hang
    void aClassMissingFromTheJar_leavesTheFeaturesOff_andCloseReturns() {
        KubernetesInBackground kubernetes = KubernetesInBackground.prepare(() -> {
            throw new NoClassDefFoundError("io/fabric8/kubernetes/api/model/Event");
        });

        kubernetes.begin();
        kubernetes.close();

        CheckReport report = report();
        assertThat(kubernetes.judge(report)).isSameAs(report);
    }

    @Test
    void closedBeforeTheFirstPassEnded_neverStarts() {
        AtomicInteger starts = new AtomicInteger();
        KubernetesInBackground kubernetes = KubernetesInBackground.prepare(() -> {
            starts.incrementAndGet();
            return KubernetesFeatures.off();
        });

        kubernetes.close();
        kubernetes.begin();

        assertThat(starts).hasValue(0);
    }

    @Test
    void begunWithEveryPass_startsOnce() {
        AtomicInteger starts = new AtomicInteger();
        KubernetesInBackground kubernetes = KubernetesInBackground.prepare(() -> {
            starts.incrementAndGet();
            return KubernetesFeatures.off();
        });

        kubernetes.begin();
        kubernetes.begin();
        kubernetes.close();

        assertThat(starts).hasValue(1);
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
