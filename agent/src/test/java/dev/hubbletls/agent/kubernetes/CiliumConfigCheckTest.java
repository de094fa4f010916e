package dev.hubbletls.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.SampleReports;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cilium's ConfigMap, served by the mock API server in CRUD mode, judged against a report. */
@EnableKubernetesMockClient(crud = true)
class CiliumConfigCheckTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final String REFERENCE = "kube-system/cilium-config";
    private static final List<String> DEFAULT_CLUSTER_NAMES =
            List.of("*.default.hubble-grpc.cilium.io");

    KubernetesClient client;

    private CiliumConfigWatch watch;

    @AfterEach
    void stopWatch() {
        if (watch != null) {
            watch.close();
        }
    }

    private static Map<String, String> healthy() {
        Map<String, String> data = new HashMap<>();
        data.put("hubble-disable-tls", "false");
        data.put("hubble-listen-address", ":4244");
        data.put("hubble-tls-client-ca-files", "/var/lib/cilium/tls/hubble/client-ca.crt");
        data.put("cluster-name", "default");
        return data;
    }

    private Finding judge(Map<String, String> data, List<String> serverNames) {
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("cilium-config").endMetadata()
                .withData(data).build()).create();
        watch = new CiliumConfigWatch(client, "kube-system", "cilium-config",
                new MutableClock(NOW));
        watch.refresh();
        CheckReport report = SampleReports.of(NOW, serverNames);
        return CiliumConfigCheck.judge(watch.state(), watch.reference(), report).orElseThrow();
    }

    @Test
    void helmDefaults_areOk_andDetailsShowTheKeys() {
        Finding finding = judge(healthy(), DEFAULT_CLUSTER_NAMES);

        assertThat(finding.status()).isEqualTo(Status.OK);
        assertThat(finding.details()).containsEntry("hubble-listen-address", ":4244")
                .containsEntry("hubble-metrics-server", "(unset)")
                .containsEntry("readAt", NOW.toString());
    }

    @Test
    void disableTlsTrue_isCriticalTlsDisabled() {
        Map<String, String> data = healthy();
        data.put("hubble-disable-tls", "true");

        Finding finding = judge(data, DEFAULT_CLUSTER_NAMES);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.TLS_DISABLED);
        assertThat(finding.message()).contains(REFERENCE, "hubble-disable-tls: \"true\"");
    }

    @Test
    void noClientCaFiles_isCriticalMtlsNotEnforced() {
        Map<String, String> data = healthy();
        data.remove("hubble-tls-client-ca-files");

        Finding finding = judge(data, DEFAULT_CLUSTER_NAMES);

        assertThat(finding.reason()).isEqualTo(Reason.MTLS_NOT_ENFORCED);
        assertThat(finding.message()).contains("no hubble-tls-client-ca-files",
                "without a certificate");
    }

    @Test
    void listenPortOtherThanAdvertised_warnsListenPortMismatch() {
        Map<String, String> data = healthy();
        data.put("hubble-listen-address", "0.0.0.0:4245");

        Finding finding = judge(data, DEFAULT_CLUSTER_NAMES);

        assertThat(finding.status()).isEqualTo(Status.WARN);
        assertThat(finding.reason()).isEqualTo(Reason.LISTEN_PORT_MISMATCH);
        assertThat(finding.message()).contains("port 4245", "advertises port 4244");
    }

    @Test
    void clusterNameTheCertificateDoesNotCover_isPredictedServerNameMismatch() {
        Map<String, String> data = healthy();
        data.put("cluster-name", "prod.eu");

        Finding finding = judge(data, DEFAULT_CLUSTER_NAMES);

        assertThat(finding.status()).isEqualTo(Status.CRITICAL);
        assertThat(finding.reason()).isEqualTo(Reason.SERVER_NAME_MISMATCH);
        assertThat(finding.message()).contains("node-1.prod-eu.hubble-grpc.cilium.io",
                "[*.default.hubble-grpc.cilium.io]", "*.prod-eu.hubble-grpc.cilium.io");
    }

    @Test
    void severalProblems_worstDecides_andEveryOneIsSaid() {
        Map<String, String> data = healthy();
        data.put("hubble-listen-address", ":4245");
        data.put("cluster-name", "other");

        Finding finding = judge(data, DEFAULT_CLUSTER_NAMES);

        assertThat(finding.reason()).isEqualTo(Reason.SERVER_NAME_MISMATCH);
        assertThat(finding.message()).contains("port 4245", "node-1.other.hubble-grpc");
    }

    @Test
    void configMapAbsent_isErrorNamingWhereItLooked() {
        watch = new CiliumConfigWatch(client, "kube-system", "cilium-config",
                new MutableClock(NOW));
        watch.refresh();

        Finding finding = CiliumConfigCheck.judge(watch.state(), watch.reference(),
                SampleReports.of(NOW, DEFAULT_CLUSTER_NAMES)).orElseThrow();

        assertThat(finding.check()).isEqualTo(CheckId.CILIUM_CONFIG);
        assertThat(finding.status()).isEqualTo(Status.ERROR);
        assertThat(finding.reason()).isEqualTo(Reason.CILIUM_CONFIG_UNAVAILABLE);
        assertThat(finding.message()).contains(REFERENCE, "does not exist",
                "kubernetes.cilium-config-namespace");
    }

    @Test
    void beforeTheFirstRead_noFinding_soTheReportIsUnchanged() {
        watch = new CiliumConfigWatch(client, "kube-system", "cilium-config",
                new MutableClock(NOW));

        assertThat(CiliumConfigCheck.judge(watch.state(), watch.reference(),
                SampleReports.of(NOW, DEFAULT_CLUSTER_NAMES))).isEmpty();
    }
}
