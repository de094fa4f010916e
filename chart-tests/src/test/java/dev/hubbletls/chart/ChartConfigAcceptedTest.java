package dev.hubbletls.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.config.ConfigInputs;
import dev.hubbletls.agent.config.ServiceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file the chart renders is read by the agent itself, without a warning, and
 * means what the values say: chart and agent cannot drift apart unnoticed.
 */
class ChartConfigAcceptedTest {

    private static final Map<String, String> POD_ENV = Map.of("NODE_NAME", "kind-worker",
            "POD_NAME", "hta-hubble-tls-agent-x7", "POD_NAMESPACE", ChartRendering.NAMESPACE);

    @TempDir
    Path dir;

    @Test
    void defaultValues_renderAConfigTheAgentReadsWithoutWarnings() throws IOException {
        List<String> warnings = new ArrayList<>();

        ServiceSettings settings = load(ChartRendering.render(ChartRendering.GROUP_ID), warnings);

        assertThat(warnings).isEmpty();
        assertThat(settings.agent().socket()).isEqualTo("unix:///var/run/cilium/hubble.sock");
        assertThat(settings.agent().tlsFiles().key())
                .isEqualTo(Path.of("/var/lib/hubble-relay/tls/client.key"));
        assertThat(settings.agent().serverTlsDir()).isEmpty();
        assertThat(settings.agent().nodeName()).contains("kind-worker");
        assertThat(settings.agent().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.http().host()).isEqualTo("0.0.0.0");
        assertThat(settings.http().port()).isEqualTo(9244);
        assertThat(settings.kubernetes().ciliumConfigNamespace()).isEqualTo("kube-system");
    }

    @Test
    void serverCertsAndCustomSettings_reachTheAgent() throws IOException {
        List<String> warnings = new ArrayList<>();
        String values = ChartRendering.GROUP_ID + "serverCerts:\n  enabled: true\n"
                + "config:\n  agent:\n    interval: 30s\n    warnDays: 45\n";

        ServiceSettings settings = load(ChartRendering.render(values), warnings);

        assertThat(warnings).isEmpty();
        assertThat(settings.agent().serverTlsDir()).isPresent();
        assertThat(settings.agent().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.agent().thresholds().warn()).isEqualTo(Duration.ofDays(45));
    }

    private ServiceSettings load(RenderedChart chart, List<String> warnings) throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), chart.configFileText());
        Logger config = Logger.getLogger("dev.hubbletls.agent.config");
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        config.addHandler(recorder);
        try {
            return ServiceSettings.load(ConfigInputs.of(Optional.of(file), POD_ENV, Map.of()));
        } finally {
            config.removeHandler(recorder);
        }
    }
}
