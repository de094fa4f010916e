package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The files in otel/ parse, hang together, and use only the contract's metric names. */
class OtelConfigFilesTest {

    private static final Path OTEL = Path.of("..", "otel");
    private static final Set<String> CONTRACT = Set.of(
            "hubble_tls_certificate_expiry_seconds",
            "hubble_tls_certificate_not_after_timestamp_seconds",
            "hubble_tls_check_status",
            "hubble_tls_handshakes_total",
            "hubble_tls_handshake_duration_seconds",
            "hubble_tls_rotations_total",
            "hubble_tls_last_pass_timestamp_seconds");
    private static final Pattern METRIC = Pattern.compile("hubble_tls_[a-z_]+");
    private static final Pattern ATTRIBUTE_LABEL = Pattern.compile("hubble_tls_(check|node|"
            + "reason|severity|message)");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void collector_everyPipelineUsesDefinedComponents_andEventsGoToAlertmanager()
            throws IOException {
        JsonNode collector = yaml.readTree(OTEL.resolve("collector.yaml").toFile());

        JsonNode pipelines = collector.path("service").path("pipelines");
        assertThat(pipelines.size()).isGreaterThanOrEqualTo(4);
        pipelines.properties().forEach(pipeline -> {
            for (String kind : List.of("receivers", "processors", "exporters")) {
                pipeline.getValue().path(kind).forEach(name -> assertThat(
                        collector.path(kind).has(name.asText()))
                        .as(pipeline.getKey() + " uses " + kind + " " + name).isTrue());
            }
            assertThat(pipeline.getValue().path("processors").get(0).asText())
                    .as(pipeline.getKey() + " starts with the memory limiter")
                    .isEqualTo("memory_limiter");
        });
        JsonNode alertmanager = collector.path("exporters").path("alertmanager");
        assertThat(alertmanager.path("severity_attribute").asText())
                .isEqualTo("hubble_tls_severity");
        assertThat(pipelines.path("traces/alerts").path("exporters").toString())
                .contains("alertmanager");
    }

    @Test
    void alertmanager_slackReadsItsWebhookFromAFile_andOutlivesTheEventRepeat()
            throws IOException {
        JsonNode config = yaml.readTree(OTEL.resolve("alertmanager.yaml").toFile());

        assertThat(config.path("global").path("resolve_timeout").asText()).isEqualTo("2h");
        assertThat(AgentTelemetry.DEFAULT_EVENT_REPEAT).isLessThan(Duration.ofHours(2));
        config.path("receivers").forEach(receiver -> receiver.path("slack_configs")
                .forEach(slack -> {
                    assertThat(slack.path("api_url_file").asText()).startsWith("/etc/");
                    assertThat(slack.has("api_url")).isFalse();
                }));
    }

    @Test
    void rulesAndDashboard_useOnlyTheContractsMetricNames() throws IOException {
        JsonNode rules = yaml.readTree(OTEL.resolve("prometheus-rules.yaml").toFile());
        JsonNode dashboard = json.readTree(OTEL.resolve("grafana-dashboard.json").toFile());

        List<String> expressions = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> expressions.add(rule.path("expr").asText())));
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));

        Set<String> used = new HashSet<>();
        expressions.forEach(expression -> used.addAll(metricsIn(expression)));
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(14);
        assertThat(used).isSubsetOf(CONTRACT).contains("hubble_tls_certificate_expiry_seconds",
                "hubble_tls_check_status", "hubble_tls_handshakes_total");
    }

    @Test
    void dashboard_hasThePanelsTheIssueAsksFor() throws IOException {
        JsonNode dashboard = json.readTree(OTEL.resolve("grafana-dashboard.json").toFile());

        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> titles.add(panel.path("title").asText()));
        assertThat(titles).contains("Time left per node and certificate",
                "Check status per node", "Handshake outcomes over time");
        assertThat(Files.readString(OTEL.resolve("grafana-dashboard.json")))
                .contains("${datasource}");
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> names = new HashSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            String name = matcher.group().replaceAll("_(bucket|sum|count)$", "");
            if (!ATTRIBUTE_LABEL.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }
}
