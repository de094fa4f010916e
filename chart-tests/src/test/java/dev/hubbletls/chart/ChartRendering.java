package dev.hubbletls.chart;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Renders and lints the chart with Helm itself (helm-java runs Helm's Go code in-process),
 * as {@code helm template} and {@code helm lint} would for an operator's values.
 */
final class ChartRendering {

    /** The release the tests install, in the namespace Cilium's secrets live in. */
    static final String RELEASE = "hta";
    static final String NAMESPACE = "kube-system";
    static final String FULLNAME = "hta-hubble-tls-agent";

    /** The one value without a default; most variants add it to what they test. */
    static final String GROUP_ID = "hubbleSocket:\n  groupId: 1000\n";

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final Map<String, RenderedChart> RENDERS = new ConcurrentHashMap<>();

    private ChartRendering() {
    }

    /** The chart directory: the {@code chart.dir} property Maven sets, else from the repo root. */
    static Path chartDir() {
        String configured = System.getProperty("chart.dir");
        Path dir = configured != null
                ? Paths.get(configured)
                : Paths.get("chart", "hubble-tls-agent");
        return dir.toAbsolutePath().normalize();
    }

    /** {@code helm template} with these values (YAML); renders are shared across tests. */
    static RenderedChart render(String valuesYaml) {
        return RENDERS.computeIfAbsent(valuesYaml, ChartRendering::renderNow);
    }

    /** What {@code helm install} prints after installing, NOTES.txt included (client-side dry run). */
    static String installOutput(String valuesYaml) {
        return withValuesFile(valuesYaml, valuesFile -> new Helm(chartDir()).install()
                .clientOnly()
                .withDryRunOption(DryRun.CLIENT)
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(valuesFile)
                .call()
                .getOutput());
    }

    /** The error text of a render that must fail. */
    static String renderFailure(String valuesYaml) {
        try {
            String manifests = template(valuesYaml);
            throw new AssertionError("the render should have failed, but produced:\n" + manifests);
        } catch (IllegalStateException expected) {
            return String.valueOf(expected.getMessage());
        }
    }

    /**
     * {@code helm lint --strict} of the chart with these values. helm-java's lint takes no
     * values file, so the chart is copied and its values.yaml replaced by the defaults with
     * the variant merged over them, which is what Helm would compute from {@code -f}.
     */
    static LintResult lint(String valuesYaml, Path workDir) {
        try {
            Path copy = workDir.resolve("hubble-tls-agent");
            copyTree(chartDir(), copy);
            Map<String, Object> values = readYamlMap(Files.readString(copy.resolve("values.yaml")));
            deepMerge(values, readYamlMap(valuesYaml));
            Files.writeString(copy.resolve("values.yaml"), SERIALIZATION.asYaml(values));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lints the chart exactly as it is in the repository. */
    static LintResult lintAsShipped() {
        return new Helm(chartDir()).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYamlMap(String yaml) {
        Map<String, Object> map = SERIALIZATION.unmarshal(yaml, Map.class);
        return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
    }

    private static RenderedChart renderNow(String valuesYaml) {
        return RenderedChart.parse(template(valuesYaml));
    }

    private static String template(String valuesYaml) {
        return withValuesFile(valuesYaml, valuesFile -> new Helm(chartDir()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(valuesFile)
                .call());
    }

    private static <T> T withValuesFile(String valuesYaml, Function<Path, T> helm) {
        try {
            Path valuesFile = Files.createTempFile("hubble-tls-agent-values", ".yaml");
            try {
                Files.writeString(valuesFile, valuesYaml);
                return helm.apply(valuesFile);
            } finally {
                Files.deleteIfExists(valuesFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> target, Map<String, Object> overrides) {
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> child && target.get(key) instanceof Map<?, ?> existing) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
                deepMerge(merged, (Map<String, Object>) child);
                target.put(key, merged);
            } else {
                target.put(key, value);
            }
        });
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }

    /** Values that switch on every optional part, for tests that scan all of them. */
    static List<String> variants() {
        return List.of(
                GROUP_ID,
                GROUP_ID + "serverCerts:\n  enabled: true\n",
                GROUP_ID + """
                        serviceMonitor:
                          enabled: true
                        prometheusRule:
                          enabled: true
                        dashboard:
                          enabled: true
                        """,
                GROUP_ID + """
                        relayClientCerts:
                          secretName: relay-certs-from-cert-manager
                          items:
                            cert: {key: certificate.pem, path: client.crt}
                        serverCerts:
                          enabled: true
                          secretName: node-server-certs
                          items:
                            ca: {key: issuer.pem, path: ca.pem}
                        """,
                """
                        hubbleSocket:
                          runAsRoot: true
                        serverCerts:
                          enabled: true
                        """);
    }
}
