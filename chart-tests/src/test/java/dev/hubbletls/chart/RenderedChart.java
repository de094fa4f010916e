package dev.hubbletls.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The objects of one {@code helm template} output, parsed into fabric8's model. */
record RenderedChart(List<HasMetadata> objects) {

    /** Helm separates the documents with a line of three dashes. */
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    RenderedChart {
        objects = List.copyOf(objects);
    }

    static RenderedChart parse(String manifests) {
        List<HasMetadata> objects = DOCUMENT_SEPARATOR.splitAsStream(manifests)
                .filter(document -> document.lines().anyMatch(RenderedChart::isContent))
                .map(document -> ChartRendering.SERIALIZATION.unmarshal(document, HasMetadata.class))
                .toList();
        return new RenderedChart(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Objects of a kind the model does not know (ServiceMonitor, PrometheusRule). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(resource -> kind.equals(resource.getKind()))
                .toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream()
                .filter(object -> name.equals(object.getMetadata().getName()))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " named " + name + " among " + names()));
    }

    DaemonSet daemonSet() {
        return get(DaemonSet.class, ChartRendering.FULLNAME);
    }

    PodSpec podSpec() {
        return daemonSet().getSpec().getTemplate().getSpec();
    }

    Container agent() {
        return podSpec().getContainers().stream()
                .filter(container -> container.getName().equals("agent"))
                .findFirst()
                .orElseThrow();
    }

    Volume volume(String name) {
        return podSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    Optional<VolumeMount> mount(String volumeName) {
        return agent().getVolumeMounts().stream()
                .filter(mount -> mount.getName().equals(volumeName))
                .findFirst();
    }

    /** The agent's config.yaml from the chart's ConfigMap, as text. */
    String configFileText() {
        ConfigMap configMap = get(ConfigMap.class, ChartRendering.FULLNAME);
        return configMap.getData().get("config.yaml");
    }

    /** The agent's config.yaml from the chart's ConfigMap. */
    Map<String, Object> configFile() {
        return ChartRendering.readYamlMap(configFileText());
    }

    /** One section of the config file, for example {@code agent}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> configSection(String section) {
        return (Map<String, Object>) configFile().get(section);
    }

    private List<String> names() {
        return objects.stream()
                .map(object -> object.getKind() + "/" + object.getMetadata().getName())
                .toList();
    }

    private static boolean isContent(String line) {
        String trimmed = line.strip();
        return !trimmed.isEmpty() && !trimmed.startsWith("#");
    }
}
