package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.config.InvalidSettingException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the SDK the standard way, from {@code OTEL_*} variables and system properties,
 * with the agent's defaults: service name {@code hubble-tls-agent}, the Kubernetes node, pod
 * and namespace from the downward API, OTLP export only when an endpoint is configured,
 * short export timeouts, and a Prometheus reader that is always there for {@code /metrics}.
 */
final class TelemetrySetup {

    static final String SERVICE_NAME = "hubble-tls-agent";

    // The exporters and the periodic metric reader log every failed export; ExportWatch
    // reports them instead, summarised. Held here because java.util.logging forgets the
    // level of a logger that nobody references.
    private static final List<Logger> EXPORT_FAILURE_LOGS = List.of(
            Logger.getLogger("io.opentelemetry.exporter"),
            Logger.getLogger("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader"));

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", SERVICE_NAME,
            "otel.exporter.otlp.timeout", "5s",
            "otel.bsp.export.timeout", "10s",
            "otel.blrp.export.timeout", "10s",
            "otel.bsp.max.queue.size", "2048",
            "otel.blrp.max.queue.size", "2048");
    private static final List<String> SIGNALS = List.of("traces", "metrics", "logs");
    private static final Map<String, String> KUBERNETES = Map.of(
            "NODE_NAME", "k8s.node.name",
            "POD_NAME", "k8s.pod.name",
            "POD_NAMESPACE", "k8s.namespace.name");

    private TelemetrySetup() {
    }

    /**
     * The SDK as {@code env} (the process environment, for the Kubernetes attributes) and the
     * standard OTel configuration describe it; {@code overrides} win over both.
     */
    static OpenTelemetrySdk build(Map<String, String> env, Map<String, String> overrides,
                                  PrometheusMetricReader prometheus, Clock clock) {
        EXPORT_FAILURE_LOGS.forEach(logger -> logger.setLevel(Level.OFF));
        ExportWatch watch = new ExportWatch(clock);
        try {
            return AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook()
                    .addPropertiesSupplier(() -> DEFAULTS)
                    .addPropertiesCustomizer(config -> {
                        watch.describe(destination(config, overrides));
                        return exportersOffWithoutEndpoint(config, overrides);
                    })
                    .addResourceCustomizer((resource, config) ->
                            kubernetes(env).merge(resource))
                    .addSpanExporterCustomizer((exporter, config) -> watch.watch(exporter))
                    .addMetricExporterCustomizer((exporter, config) -> watch.watch(exporter))
                    .addLogRecordExporterCustomizer((exporter, config) ->
                            watch.watch(exporter))
                    .addMeterProviderCustomizer((builder, config) ->
                            builder.registerMetricReader(prometheus))
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new InvalidSettingException("OTEL_*", "", withCauses(e)
                    + "; fix or unset the OpenTelemetry variables (OTEL_*)");
        }
    }

    // The SDK wraps the message that names the variable ("Unexpected configuration error").
    private static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    // Without an endpoint, an exporter left at its default would dial localhost:4317 and
    // fail every minute; the agent exports nothing instead, unless told otherwise.
    private static Map<String, String> exportersOffWithoutEndpoint(
            ConfigProperties config, Map<String, String> overrides) {
        Map<String, String> result = new HashMap<>(overrides);
        for (String signal : SIGNALS) {
            String exporterKey = "otel." + signal + ".exporter";
            boolean chosen = setting(config, overrides, exporterKey).isPresent();
            boolean endpoint = setting(config, overrides, "otel.exporter.otlp.endpoint")
                    .or(() -> setting(config, overrides,
                            "otel.exporter.otlp." + signal + ".endpoint"))
                    .isPresent();
            if (!chosen && !endpoint) {
                result.put(exporterKey, "none");
            }
        }
        return result;
    }

    private static String destination(ConfigProperties config, Map<String, String> overrides) {
        return setting(config, overrides, "otel.exporter.otlp.endpoint")
                .orElse("the OTLP endpoint");
    }

    private static Optional<String> setting(ConfigProperties config,
                                            Map<String, String> overrides, String key) {
        return Optional.ofNullable(overrides.get(key))
                .or(() -> Optional.ofNullable(config.getString(key)))
                .filter(value -> !value.isBlank());
    }

    private static Resource kubernetes(Map<String, String> env) {
        AttributesBuilder attributes = Attributes.builder();
        KUBERNETES.forEach((variable, key) -> Optional.ofNullable(env.get(variable))
                .filter(value -> !value.isBlank())
                .ifPresent(value -> attributes.put(key, value)));
        return Resource.create(attributes.build());
    }
}
