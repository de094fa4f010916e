package dev.hubbletls.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServiceSettingsTest {

    private static final Map<String, String> NODE_ENV = Map.of("NODE_NAME", "node-1");

    @TempDir
    Path dir;

    private ServiceSettings load(Optional<Path> file, Map<String, String> env,
                                 Map<String, String> flags) {
        return ServiceSettings.load(new ConfigInputs(file.orElse(dir.resolve("absent.yaml")),
                false, env, flags));
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    @Test
    void nothingConfigured_defaultsAreTheContracts() {
        ServiceSettings settings = load(Optional.empty(), NODE_ENV, Map.of());

        assertThat(settings.agent().socket()).isEqualTo("unix:///var/run/cilium/hubble.sock");
        assertThat(settings.agent().tlsFiles().directory())
                .isEqualTo(Path.of("/var/lib/hubble-relay/tls"));
        assertThat(settings.agent().tlsFiles().caName()).isEqualTo("hubble-server-ca.crt");
        assertThat(settings.agent().nodeName()).contains("node-1");
        assertThat(settings.agent().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.agent().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.agent().thresholds().warn()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.agent().thresholds().critical()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.http()).isEqualTo(new HttpSettings("0.0.0.0", 9244));
        assertThat(settings.kubernetes()).isEqualTo(new KubernetesSettings(true, "kube-system",
                "cilium-config", true, Duration.ofHours(1), "default", Optional.empty()));
    }

    @Test
    void eachLayer_overridesTheOneBelow_defaultsFileEnvironmentFlags() throws IOException {
        Path yaml = file("agent:\n  timeout: 7s\n  interval: 2m\nhttp:\n  port: 9000\n");
        Map<String, String> env = Map.of("NODE_NAME", "node-1", "AGENT_TIMEOUT", "8s",
                "HTTP_PORT", "9100");
        Map<String, String> flags = Map.of("agent.timeout", "9s");

        assertThat(load(Optional.of(yaml), NODE_ENV, Map.of()).agent().timeout())
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(load(Optional.of(yaml), env, Map.of()).agent().timeout())
                .isEqualTo(Duration.ofSeconds(8));
        ServiceSettings all = load(Optional.of(yaml), env, flags);
        assertThat(all.agent().timeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(all.http().port()).isEqualTo(9100);
        assertThat(all.agent().interval()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void environmentNames_areUpperCaseWithDotsAndDashesAsUnderscores() {
        Map<String, String> env = Map.of("NODE_NAME", "node-1",
                "AGENT_TLS_DIR", "/mnt/relay", "KUBERNETES_CILIUM_CONFIG_NAMESPACE", "cilium",
                "POD_NAMESPACE", "monitoring", "POD_NAME", "agent-x7",
                // Injected into every pod by Kubernetes; no key of the agent maps to it.
                "KUBERNETES_PORT", "tcp://10.96.0.1:443");

        ServiceSettings settings = load(Optional.empty(), env, Map.of());

        assertThat(settings.agent().tlsFiles().directory()).isEqualTo(Path.of("/mnt/relay"));
        assertThat(settings.kubernetes().ciliumConfigNamespace()).isEqualTo("cilium");
        assertThat(settings.kubernetes().eventNamespace()).isEqualTo("monitoring");
        assertThat(settings.kubernetes().podName()).contains("agent-x7");
    }

    @Test
    void httpHost_allInterfacesEvenWithPodIp_unlessConfigured() {
        // kubectl port-forward connects to localhost in the pod; a pod-IP bind would refuse it.
        Map<String, String> env = Map.of("NODE_NAME", "node-1", "POD_IP", "10.1.2.3");

        assertThat(load(Optional.empty(), env, Map.of()).http().host()).isEqualTo("0.0.0.0");
        assertThat(load(Optional.empty(), env, Map.of("http.host", "127.0.0.1")).http().host())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void serverTlsDir_fromFile_turnsOnServerFiles() throws IOException {
        Path yaml = file("agent:\n  server-tls-dir: /var/lib/hubble-tls-agent/server-tls\n");

        assertThat(load(Optional.of(yaml), Map.of("NODE_NAME", "node-1"), Map.of()).agent()
                .serverTlsDir()).contains(Path.of("/var/lib/hubble-tls-agent/server-tls"));
    }

    @Test
    void nodeNameInFile_winsOverNodeNameVariable() throws IOException {
        Path yaml = file("agent:\n  node-name: from-file\n");

        assertThat(load(Optional.of(yaml), NODE_ENV, Map.of()).agent().nodeName())
                .contains("from-file");
    }

    @Test
    void portOutOfRange_stopsWithKeyValueAndRange() throws IOException {
        Path yaml = file("http:\n  port: 70000\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid setting http.port=70000: expected a whole number from 1"
                        + " to 65535");
    }

    @Test
    void badDurationFromEnvironment_namesTheKey() {
        Map<String, String> env = Map.of("NODE_NAME", "node-1", "AGENT_INTERVAL", "soon");

        assertThatThrownBy(() -> load(Optional.empty(), env, Map.of()))
                .hasMessage("invalid setting agent.interval=soon: expected a duration such as"
                        + " 500ms, 5s, 2m or 1h");
    }

    @Test
    void criticalAboveWarn_namesCriticalDaysAndTheWarnLimit() {
        assertThatThrownBy(() -> load(Optional.empty(), NODE_ENV,
                Map.of("agent.critical-days", "40")))
                .hasMessage("invalid setting agent.critical-days=40: must be between 0 and"
                        + " agent.warn-days (30)");
    }

    @Test
    void nullInFile_leavesTheKeyUnset() throws IOException {
        Path yaml = file("agent:\n  server-tls-dir: null\n  node-name: ~\n");

        ServiceSettings settings = load(Optional.of(yaml), NODE_ENV, Map.of());

        assertThat(settings.agent().serverTlsDir()).isEmpty();
        assertThat(settings.agent().nodeName()).contains("node-1");
    }

    @Test
    void intervalOutOfRange_namesTheKeyAndTheValueAsWritten() throws IOException {
        Path yaml = file("agent:\n  interval: 0s\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessage("invalid setting agent.interval=0s: must be between 1s and 1d");
    }

    @Test
    void digitsOtherThanAscii_areNotANumber() {
        assertThatThrownBy(() -> load(Optional.empty(), NODE_ENV,
                Map.of("agent.warn-days", "\u0663\u0660")))
                .hasMessage("invalid setting agent.warn-days=\u0663\u0660: expected a whole number"
                        + " from 0 to 3650");
    }

    @Test
    void notABoolean_andBadNamespace_areRefused() {
        assertThatThrownBy(() -> load(Optional.empty(), NODE_ENV,
                Map.of("kubernetes.enabled", "yes")))
                .hasMessage("invalid setting kubernetes.enabled=yes: expected true or false");
        assertThatThrownBy(() -> load(Optional.empty(), NODE_ENV,
                Map.of("kubernetes.cilium-config-namespace", "Kube_System")))
                .hasMessageStartingWith("invalid setting kubernetes.cilium-config-namespace="
                        + "Kube_System: expected a namespace name");
    }

    @Test
    void namedFileMissing_stops_defaultFileMissing_isFine() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ServiceSettings.load(ConfigInputs.of(Optional.of(missing),
                NODE_ENV, Map.of())))
                .hasMessageContaining("invalid setting config=" + missing)
                .hasMessageContaining("does not exist");
        assertThat(load(Optional.of(missing), NODE_ENV, Map.of()).http().port()).isEqualTo(9244);
    }

    @Test
    void fileThatIsNotYaml_stopsNamingTheFile() throws IOException {
        Path yaml = file("agent: [unclosed\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessageStartingWith("invalid setting config=" + yaml
                        + ": cannot read it as YAML");
    }

    @Test
    void valuesInFile_areReadAsWritten_soYesIsNotTrue() throws IOException {
        Path yaml = file("kubernetes:\n  enabled: yes\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessage("invalid setting kubernetes.enabled=yes: expected true or false");
    }

    @Test
    void fileWhoseTopIsAList_stopsSayingWhatWasFound() throws IOException {
        Path yaml = file("- agent\n- http\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessageStartingWith("invalid setting config=" + yaml
                        + ": cannot read it as YAML")
                .hasMessageContaining("found a list");
    }

    @Test
    void fileThatIsNotText_stopsSayingSo() throws IOException {
        Path binary = Files.write(dir.resolve("config.yaml"),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00});

        assertThatThrownBy(() -> load(Optional.of(binary), NODE_ENV, Map.of()))
                .hasMessage("invalid setting config=" + binary
                        + ": cannot read it as YAML: it is not UTF-8 text");
    }

    @Test
    void directoryAsFile_stopsNamingIt() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("config.d"));

        assertThatThrownBy(() -> load(Optional.of(directory), NODE_ENV, Map.of()))
                .hasMessage("invalid setting config=" + directory
                        + ": not a regular file; point --config at a YAML file");
    }

    @Test
    @Timeout(10)
    void fifoAsFile_stopsAtOnceInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThatThrownBy(() -> load(Optional.of(fifo), NODE_ENV, Map.of()))
                .hasMessageContaining("not a regular file");
    }

    @Test
    void oversizedFile_stopsBeforeReadingIt() throws IOException {
        Path yaml = file("# padding\n".repeat(30_000) + "agent:\n  interval: 5s\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessage("invalid setting config=" + yaml + ": the file has " + Files.size(yaml)
                        + " bytes, more than the 262144 a configuration file may have");
    }

    @Test
    void keyGivenAList_stopsInsteadOfFallingBackToTheDefault() throws IOException {
        Path yaml = file("agent:\n  interval: [5s, 6s]\n");

        assertThatThrownBy(() -> load(Optional.of(yaml), NODE_ENV, Map.of()))
                .hasMessage("invalid setting agent.interval: in " + yaml
                        + " it is a list or has keys under it; give it one value");
    }

    @Test
    void unknownKeysInFile_areIgnoredWithOneWarningNamingThem() throws IOException {
        Path yaml = file("agent:\n  timeout: 5s\n  timeout_seconds: 9\n  warn_days: 10\nhttp:\n");
        List<String> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord logRecord) {
                warnings.add(logRecord.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ConfigLayers.class.getName());
        logger.addHandler(handler);
        try {
            ServiceSettings settings = load(Optional.of(yaml), NODE_ENV, Map.of());

            assertThat(settings.agent().timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(warnings).singleElement().asString().endsWith("which are ignored:"
                    + " agent.timeout_seconds, agent.warn_days; see README.md for the keys");
        } finally {
            logger.removeHandler(handler);
        }
    }
}
