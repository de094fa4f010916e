package dev.hubbletls.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.PassHeartbeat;
import dev.hubbletls.agent.check.SampleReports;
import dev.hubbletls.agent.config.KubernetesSettings;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that answers 500 or does not answer in time, from the mock in expectations
 * mode: the ConfigMap check says so, and a pass never waits for it.
 */
@EnableKubernetesMockClient
class ApiServerTroubleTest {

    private static final String CONFIG_MAP =
            "/api/v1/namespaces/kube-system/configmaps/cilium-config";
    private static final String EVENTS = "/api/v1/namespaces/default/events";
    private static final Duration PASS_BUDGET = Duration.ofMillis(200);

    KubernetesMockServer server;
    KubernetesClient mockClient;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    private KubernetesClient client;
    private KubernetesFeatures features;

    @AfterEach
    void stop() {
        if (features != null) {
            features.close();
        }
    }

    /** The features over a client bounded as ClusterAccess bounds it, but tighter. */
    private void start() {
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                mockClient.getConfiguration()).withRequestTimeout(300)
                .withRequestRetryBackoffLimit(0).build()).build();
        KubernetesSettings settings = new KubernetesSettings(true, "kube-system",
                "cilium-config", true, Duration.ofHours(1), "default", Optional.empty());
        features = KubernetesFeatures.with(client, settings, Optional.of(SampleReports.NODE),
                clock, Duration.ofHours(1));
    }

    /** One pass as run wires it: judged against the ConfigMap, timed, then recorded. */
    private Duration pass(PassHeartbeat heartbeat, Finding finding) {
        long start = System.nanoTime();
        CheckReport report = heartbeat.around(() -> features.judge(SampleReports.of(
                clock.instant(), List.of("*.default.hubble-grpc.cilium.io"), finding))).get();
        features.record(report);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void apiServerAnswering500_configCheckIsError_andPassesAndEventsDoNotWait()
            throws InterruptedException {
        server.expect().get().withPath(CONFIG_MAP).andReturn(500, "etcd down").always();
        server.expect().post().withPath(EVENTS).andReturn(500, "etcd down").always();
        start();
        PassHeartbeat heartbeat = new PassHeartbeat(clock, Duration.ofSeconds(60),
                Duration.ofSeconds(200));

        Finding unavailable = Eventually.await(() -> features.judge(SampleReports.of(
                        clock.instant(), List.of())).finding(CheckId.CILIUM_CONFIG),
                Optional::isPresent).orElseThrow();

        assertThat(unavailable.status()).isEqualTo(Status.ERROR);
        assertThat(unavailable.reason()).isEqualTo(Reason.CILIUM_CONFIG_UNAVAILABLE);
        assertThat(unavailable.message()).contains("did not answer for ConfigMap"
                + " kube-system/cilium-config");
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            assertThat(pass(heartbeat, critical())).isLessThan(PASS_BUDGET);
        }
        assertThat(heartbeat.ready()).isTrue();
    }

    @Test
    void apiServerNotAnswering_passesFinishQuickly_andTheCheckSaysItTimedOut()
            throws InterruptedException {
        server.expect().get().delay(5, TimeUnit.SECONDS).withPath(CONFIG_MAP)
                .andReturn(200, new ConfigMapBuilder().withNewMetadata()
                        .withName("cilium-config").endMetadata()
                        .withData(Map.of("hubble-disable-tls", "true")).build())
                .always();
        server.expect().post().delay(5, TimeUnit.SECONDS).withPath(EVENTS)
                .andReturn(201, "{}").always();
        start();
        PassHeartbeat heartbeat = new PassHeartbeat(clock, Duration.ofSeconds(60),
                Duration.ofSeconds(200));

        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofHours(1));
            assertThat(pass(heartbeat, i % 2 == 0 ? critical() : ok())).isLessThan(PASS_BUDGET);
        }

        Finding unavailable = Eventually.await(() -> features.judge(SampleReports.of(
                        clock.instant(), List.of())).finding(CheckId.CILIUM_CONFIG),
                Optional::isPresent).orElseThrow();
        assertThat(unavailable.reason()).isEqualTo(Reason.CILIUM_CONFIG_UNAVAILABLE);
        long closing = System.nanoTime();
        features.close();
        features = null;
        assertThat(Duration.ofNanos(System.nanoTime() - closing))
                .isLessThan(Duration.ofSeconds(4));
    }

    private static Finding critical() {
        return Finding.of(CheckId.CLIENT_CERT_REQUIRED, Status.CRITICAL,
                Reason.MTLS_NOT_ENFORCED, "accepted a client without a certificate");
    }

    private static Finding ok() {
        return Finding.ok(CheckId.CLIENT_CERT_REQUIRED, "refused");
    }
}
