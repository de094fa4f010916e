package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.FULLNAME;
import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static dev.hubbletls.chart.ChartRendering.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Service, ServiceMonitor, PrometheusRule and dashboard, all off unless asked for. */
class ChartMonitoringTest {

    private static final String ALL_ON = GROUP_ID + """
            serviceMonitor:
              enabled: true
              additionalLabels: {release: kube-prometheus-stack}
            prometheusRule:
              enabled: true
              ruleLabels: {team: platform, severity: page-everyone}
            dashboard:
              enabled: true
            config:
              agent:
                interval: 2m
            """;

    /** The metric names of the service contract. */
    private static final Set<String> CONTRACT_METRICS = Set.of(
            "hubble_tls_certificate_expiry_seconds",
            "hubble_tls_certificate_not_after_timestamp_seconds",
            "hubble_tls_check_status",
            "hubble_tls_handshakes_total",
            "hubble_tls_handshake_duration_seconds_bucket",
            "hubble_tls_rotations_total",
            "hubble_tls_last_pass_timestamp_seconds");

    private static final Pattern METRIC = Pattern.compile("\\bhubble_tls_[a-z_]+");

    @Test
    void byDefault_noMonitoringObjects() {
        RenderedChart chart = render(GROUP_ID);

        assertThat(chart.all(Service.class)).isEmpty();
        assertThat(chart.custom("ServiceMonitor")).isEmpty();
        assertThat(chart.custom("PrometheusRule")).isEmpty();
        assertThat(chart.find(ConfigMap.class, FULLNAME + "-dashboard")).isEmpty();
    }

    @Test
    void serviceMonitor_scrapesMetricsThroughAHeadlessService() {
        RenderedChart chart = render(ALL_ON);

        Service service = chart.get(Service.class, FULLNAME);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(chart.daemonSet().getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement()
                .returns("http", ServicePort::getName)
                .returns(new IntOrString("http"), ServicePort::getTargetPort);
        GenericKubernetesResource monitor = chart.custom("ServiceMonitor").getFirst();
        assertThat(monitor.getMetadata().getLabels())
                .containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> endpoint = monitor.<List<Map<String, Object>>>get("spec", "endpoints")
                .getFirst();
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    }

    @Test
    void prometheusRule_carriesTheSharedRulesWithTheIntervalAndLabels() {
        GenericKubernetesResource rule = render(ALL_ON).custom("PrometheusRule").getFirst();

        List<Map<String, Object>> rules = alertRules(rule);
        assertThat(rules).extracting(alert -> alert.get("alert")).contains(
                "HubbleTlsMtlsNotEnforced",
                "HubbleTlsCertificateExpiryWarning",
                "HubbleTlsCertificateExpiryCritical",
                "HubbleTlsAgentPassOverdue");
        assertThat(byName(rules, "HubbleTlsAgentPassOverdue").get("expr"))
                .isEqualTo("time() - hubble_tls_last_pass_timestamp_seconds > 360");
        assertThat(byName(rules, "HubbleTlsMtlsNotEnforced").get("labels")).isEqualTo(
                Map.of("severity", "critical", "team", "platform"));
        assertThat(byName(rules, "HubbleTlsCertificateExpiryWarning").get("labels")).isEqualTo(
                Map.of("severity", "warning", "team", "platform"));
    }

    @Test
    void mtlsAlert_coversTheEnforcementChecksAtCritical() {
        GenericKubernetesResource rule = render(ALL_ON).custom("PrometheusRule").getFirst();

        String expr = (String) byName(alertRules(rule), "HubbleTlsMtlsNotEnforced").get("expr");
        assertThat(expr).contains("hubble_tls_check_status")
                .contains("client-cert-required", "client-cert-verified", "plaintext-refused")
                .endsWith("== 2");
    }

    @Test
    void rulesAndDashboard_useOnlyContractMetrics() throws IOException {
        String rules = Files.readString(ChartRendering.chartDir()
                .resolve("files/prometheus-rules.yaml"));
        String dashboard = Files.readString(ChartRendering.chartDir()
                .resolve("files/grafana-dashboard.json"));

        assertThat(metricNames(rules)).isNotEmpty().isSubsetOf(CONTRACT_METRICS);
        assertThat(metricNames(dashboard)).isNotEmpty().isSubsetOf(CONTRACT_METRICS);
    }

    @Test
    void dashboard_isAConfigMapForGrafanasSidecar() {
        ConfigMap dashboard = render(ALL_ON).get(ConfigMap.class, FULLNAME + "-dashboard");

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        Map<String, Object> json = ChartRendering.readYamlMap(
                dashboard.getData().get("hubble-tls-agent.json"));
        assertThat(json).containsEntry("uid", "hubble-tls-agent");
        assertThat((List<?>) json.get("panels")).isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules(GenericKubernetesResource rule) {
        List<Map<String, Object>> groups = rule.get("spec", "groups");
        return groups.stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .toList();
    }

    private static Map<String, Object> byName(List<Map<String, Object>> rules, String alert) {
        return rules.stream()
                .filter(rule -> alert.equals(rule.get("alert")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + alert));
    }

    private static Set<String> metricNames(String text) {
        Matcher matcher = METRIC.matcher(text);
        return matcher.results().map(result -> result.group())
                .collect(Collectors.toSet());
    }
}
