package dev.hubbletls.agent.config;

import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code run} needs, read once from the configuration layers and validated at
 * start-up: the check pass's settings, the HTTP endpoints, and the Kubernetes features.
 *
 * @param agent      what a check pass needs
 * @param http       where the endpoints are served
 * @param kubernetes what is read from and written to the API server
 */
public record ServiceSettings(AgentSettings agent, HttpSettings http,
                              KubernetesSettings kubernetes) {

    private static final int MAX_DAYS = 3650;
    private static final Duration MIN_EVENT_REPEAT = Duration.ofMinutes(1);
    private static final Duration MAX_EVENT_REPEAT = Duration.ofDays(7);

    /** Reads and validates every key; {@link InvalidSettingException} names the first bad one. */
    public static ServiceSettings load(ConfigInputs inputs) {
        SettingsReader reader = new SettingsReader(ConfigLayers.merge(inputs));
        Map<String, String> environment = inputs.environment();
        return new ServiceSettings(agent(reader, environment), http(reader),
                kubernetes(reader, environment));
    }

    private static AgentSettings agent(SettingsReader reader, Map<String, String> environment) {
        TlsFiles files = new TlsFiles(Path.of(reader.text("agent.tls-dir")),
                reader.text("agent.client-cert"), reader.text("agent.client-key"),
                reader.text("agent.ca-file"));
        Optional<String> nodeName = nonBlank(reader.text("agent.node-name"))
                .or(() -> nonBlank(environment.get("NODE_NAME")));
        return new AgentSettings(reader.text("agent.socket"), files, nodeName,
                nonBlank(reader.text("agent.server")), nonBlank(reader.text("agent.server-name")),
                reader.duration("agent.timeout", AgentSettings.MIN_TIMEOUT,
                        AgentSettings.MAX_TIMEOUT),
                thresholds(reader),
                reader.duration("agent.interval", AgentSettings.MIN_INTERVAL,
                        AgentSettings.MAX_INTERVAL),
                nonBlank(reader.text("agent.server-tls-dir")).map(Path::of));
    }

    private static ExpiryThresholds thresholds(SettingsReader reader) {
        int warnDays = reader.wholeNumber("agent.warn-days", 0, MAX_DAYS);
        int criticalDays = reader.wholeNumber("agent.critical-days", 0, MAX_DAYS);
        if (criticalDays > warnDays) {
            throw new InvalidSettingException("agent.critical-days", String.valueOf(criticalDays),
                    "must be between 0 and agent.warn-days (" + warnDays + ")");
        }
        return new ExpiryThresholds(Duration.ofDays(warnDays), Duration.ofDays(criticalDays));
    }

    private static HttpSettings http(SettingsReader reader) {
        String host = nonBlank(reader.text("http.host")).orElse(HttpSettings.ANY_ADDRESS);
        return new HttpSettings(host, reader.wholeNumber("http.port", 1, 65535));
    }

    private static KubernetesSettings kubernetes(SettingsReader reader,
                                                 Map<String, String> environment) {
        return new KubernetesSettings(reader.flag("kubernetes.enabled"),
                reader.namespace("kubernetes.cilium-config-namespace"),
                reader.objectName("kubernetes.cilium-config-name"),
                reader.flag("kubernetes.events"),
                reader.duration("agent.event-repeat", MIN_EVENT_REPEAT, MAX_EVENT_REPEAT),
                nonBlank(environment.get("POD_NAMESPACE"))
                        .orElse(KubernetesSettings.DEFAULT_EVENT_NAMESPACE),
                nonBlank(environment.get("POD_NAME")));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }
}
