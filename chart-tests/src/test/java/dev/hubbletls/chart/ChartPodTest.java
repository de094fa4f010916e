package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static dev.hubbletls.chart.ChartRendering.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's container: environment, port, probes, scheduling and its config file. */
class ChartPodTest {

    @Test
    void downwardApi_givesNodePodNamespaceAndIp() {
        Container agent = render(GROUP_ID).agent();

        assertThat(fieldPath(agent, "NODE_NAME")).isEqualTo("spec.nodeName");
        assertThat(fieldPath(agent, "POD_NAME")).isEqualTo("metadata.name");
        assertThat(fieldPath(agent, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
        assertThat(fieldPath(agent, "POD_IP")).isEqualTo("status.podIP");
    }

    @Test
    void otel_exportsNothingByDefault_butNamesTheService() {
        Container agent = render(GROUP_ID).agent();

        assertThat(env(agent, "OTEL_EXPORTER_OTLP_ENDPOINT")).isEmpty();
        assertThat(env(agent, "OTEL_SERVICE_NAME")).contains("hubble-tls-agent");
        assertThat(env(agent, "OTEL_RESOURCE_ATTRIBUTES")).contains(
                "k8s.node.name=$(NODE_NAME),k8s.pod.name=$(POD_NAME),"
                        + "k8s.namespace.name=$(POD_NAMESPACE)");
    }

    @Test
    void otelValues_becomeTheStandardVariables() {
        Container agent = render(GROUP_ID + """
                otel:
                  endpoint: http://collector.observability:4318
                  protocol: http/protobuf
                  resourceAttributes:
                    k8s.cluster.name: prod-eu
                jvmOptions: -Xlog:gc
                extraEnv:
                  - name: AGENT_TIMEOUT
                    value: 10s
                """).agent();

        assertThat(env(agent, "OTEL_EXPORTER_OTLP_ENDPOINT"))
                .contains("http://collector.observability:4318");
        assertThat(env(agent, "OTEL_EXPORTER_OTLP_PROTOCOL")).contains("http/protobuf");
        assertThat(env(agent, "OTEL_RESOURCE_ATTRIBUTES").orElseThrow())
                .endsWith(",k8s.cluster.name=prod-eu");
        assertThat(env(agent, "JDK_JAVA_OPTIONS")).contains("-Xlog:gc");
        assertThat(env(agent, "AGENT_TIMEOUT")).contains("10s");
    }

    @Test
    void probes_hitLivezAndReadyzOnTheHttpPort() {
        Container agent = render(GROUP_ID).agent();

        assertThat(agent.getPorts()).extracting(ContainerPort::getName,
                        ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(tuple("http", 9244, "TCP"));
        assertHttpProbe(agent.getLivenessProbe(), "/livez");
        assertHttpProbe(agent.getReadinessProbe(), "/readyz");
    }

    @Test
    void configFile_pointsAtTheMountsAndBindsForPortForward() {
        RenderedChart chart = render(GROUP_ID);

        assertThat(chart.configSection("agent"))
                .containsEntry("socket", "unix:///var/run/cilium/hubble.sock")
                .containsEntry("tls-dir", "/var/lib/hubble-relay/tls")
                .containsEntry("client-cert", "client.crt")
                .containsEntry("client-key", "client.key")
                .containsEntry("ca-file", "hubble-server-ca.crt")
                .containsEntry("interval", "60s")
                .containsEntry("warn-days", 30)
                .containsEntry("critical-days", 7);
        assertThat(chart.configSection("http"))
                .containsEntry("host", "0.0.0.0")
                .containsEntry("port", 9244);
        assertThat(chart.configSection("kubernetes"))
                .containsEntry("enabled", true)
                .containsEntry("cilium-config-namespace", "kube-system")
                .containsEntry("cilium-config-name", "cilium-config");
    }

    @Test
    void configChange_rollsThePods() {
        String before = checksum(render(GROUP_ID).daemonSet());
        String after = checksum(render(GROUP_ID + "config:\n  agent:\n    interval: 2m\n")
                .daemonSet());

        assertThat(after).isNotBlank().isNotEqualTo(before);
    }

    @Test
    void byDefault_toleratesEveryTaintOnLinuxNodes() {
        PodSpec pod = render(GROUP_ID).podSpec();

        assertThat(pod.getTolerations()).extracting(Toleration::getOperator,
                        Toleration::getKey, Toleration::getEffect)
                .containsExactly(tuple("Exists", null, null));
        assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    }

    @Test
    void schedulingAndMetadataValues_reachTheDaemonSet() {
        RenderedChart chart = render(GROUP_ID + """
                priorityClassName: system-node-critical
                updateStrategy:
                  type: RollingUpdate
                  rollingUpdate:
                    maxUnavailable: 10%
                nodeSelector:
                  role: edge
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                        - matchExpressions:
                            - {key: cilium.io/no-schedule, operator: DoesNotExist}
                tolerations: []
                commonLabels:
                  team: platform
                podLabels:
                  tier: node
                podAnnotations:
                  example.com/owner: platform
                image:
                  tag: 0.2.0
                extraArgs: ["--timeout", "10s"]
                """);

        DaemonSet daemonSet = chart.daemonSet();
        PodSpec pod = chart.podSpec();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(daemonSet.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString("10%"));
        assertThat(pod.getNodeSelector()).containsEntry("role", "edge");
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(daemonSet.getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(daemonSet.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("tier", "node").containsEntry("team", "platform");
        assertThat(daemonSet.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "platform");
        assertThat(chart.agent().getImage()).isEqualTo("ghcr.io/hubbletls/hubble-tls-agent:0.2.0");
        assertThat(chart.agent().getArgs()).containsExactly("--timeout", "10s");
        assertThat(chart.objects()).allSatisfy(object ->
                assertThat(object.getMetadata().getLabels()).containsEntry("team", "platform"));
    }

    @Test
    void byDefault_imageIsAppVersionWithResources() {
        Container agent = render(GROUP_ID).agent();

        assertThat(agent.getImage()).isEqualTo("ghcr.io/hubbletls/hubble-tls-agent:0.1.0");
        assertThat(agent.getArgs()).isNullOrEmpty();
        assertThat(agent.getResources().getRequests())
                .containsKeys("cpu", "memory");
        assertThat(agent.getResources().getLimits())
                .containsEntry("memory", new Quantity("192Mi"))
                .doesNotContainKey("cpu");
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
        assertThat(probe.getPeriodSeconds()).isPositive();
    }

    private static String checksum(DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");
    }

    private static String fieldPath(Container container, String name) {
        EnvVar variable = variable(container, name).orElseThrow(
                () -> new AssertionError("no env " + name));
        return variable.getValueFrom().getFieldRef().getFieldPath();
    }

    private static Optional<String> env(Container container, String name) {
        return variable(container, name).map(EnvVar::getValue);
    }

    private static Optional<EnvVar> variable(Container container, String name) {
        return container.getEnv().stream()
                .filter(variable -> variable.getName().equals(name))
                .findFirst();
    }
}
