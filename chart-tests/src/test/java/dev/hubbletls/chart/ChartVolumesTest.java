package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static dev.hubbletls.chart.ChartRendering.render;
import static dev.hubbletls.chart.ChartRendering.renderFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the agent's pod mounts: the socket, the relay's material, never a server key. */
class ChartVolumesTest {

    private static final String SERVER_CERTS_ON = GROUP_ID + "serverCerts:\n  enabled: true\n";

    @Test
    void hubbleSocketDirectory_isHostPathOfTypeDirectory_mountedReadOnly() {
        RenderedChart chart = render(GROUP_ID);

        HostPathVolumeSource hostPath = chart.volume("hubble-socket").getHostPath();
        assertThat(hostPath.getPath()).isEqualTo("/var/run/cilium");
        assertThat(hostPath.getType()).isEqualTo("Directory");
        assertThat(chart.mount("hubble-socket")).get()
                .returns("/var/run/cilium", VolumeMount::getMountPath)
                .returns(true, VolumeMount::getReadOnly);
    }

    @Test
    void relayClientCerts_projectedUnderRelayFileNames() {
        RenderedChart chart = render(GROUP_ID);

        Volume volume = chart.volume("relay-client-certs");
        SecretProjection secret = onlySecret(volume.getProjected());
        assertThat(secret.getName()).isEqualTo("hubble-relay-client-certs");
        assertThat(secret.getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(
                        tuple("tls.crt", "client.crt"),
                        tuple("tls.key", "client.key"),
                        tuple("ca.crt", "hubble-server-ca.crt"));
        assertThat(volume.getProjected().getDefaultMode()).isEqualTo(0400);
        assertThat(chart.mount("relay-client-certs")).get()
                .returns("/var/lib/hubble-relay/tls", VolumeMount::getMountPath)
                .returns(true, VolumeMount::getReadOnly);
    }

    @Test
    void serverCerts_offByDefault() {
        RenderedChart chart = render(GROUP_ID);

        assertThat(chart.podSpec().getVolumes()).extracting(Volume::getName)
                .doesNotContain("server-certs");
        assertThat(chart.configSection("agent")).containsEntry("server-tls-dir", "");
    }

    @Test
    void serverCertsOn_projectsCertificateAndCaOnly() {
        RenderedChart chart = render(SERVER_CERTS_ON);

        SecretProjection secret = onlySecret(chart.volume("server-certs").getProjected());
        assertThat(secret.getName()).isEqualTo("hubble-server-certs");
        assertThat(secret.getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(tuple("tls.crt", "tls.crt"), tuple("ca.crt", "ca.crt"));
        assertThat(chart.mount("server-certs")).get()
                .returns("/var/lib/hubble-tls-agent/server-tls", VolumeMount::getMountPath)
                .returns(true, VolumeMount::getReadOnly);
        assertThat(chart.configSection("agent"))
                .containsEntry("server-tls-dir", "/var/lib/hubble-tls-agent/server-tls");
    }

    @Test
    void customSecretNamesAndItems_reachVolumesAndConfigFile() {
        RenderedChart chart = render(GROUP_ID + """
                relayClientCerts:
                  secretName: relay-from-cert-manager
                  mountPath: /certs/relay
                  items:
                    cert: {key: certificate.pem, path: relay.crt}
                    key: {key: private.pem, path: relay.key}
                    ca: {key: issuer.pem, path: trust.pem}
                serverCerts:
                  enabled: true
                  secretName: server-from-cert-manager
                """);

        SecretProjection relay = onlySecret(chart.volume("relay-client-certs").getProjected());
        assertThat(relay.getName()).isEqualTo("relay-from-cert-manager");
        assertThat(relay.getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(
                        tuple("certificate.pem", "relay.crt"),
                        tuple("private.pem", "relay.key"),
                        tuple("issuer.pem", "trust.pem"));
        assertThat(onlySecret(chart.volume("server-certs").getProjected()).getName())
                .isEqualTo("server-from-cert-manager");
        assertThat(chart.configSection("agent"))
                .containsEntry("tls-dir", "/certs/relay")
                .containsEntry("client-cert", "relay.crt")
                .containsEntry("client-key", "relay.key")
                .containsEntry("ca-file", "trust.pem");
    }

    @ParameterizedTest
    @MethodSource("dev.hubbletls.chart.ChartRendering#variants")
    void noVariant_mountsAServerPrivateKey(String values) {
        List<Volume> volumes = render(values).podSpec().getVolumes();

        assertThat(volumes).allSatisfy(volume -> assertThat(volume.getSecret())
                .as("volume %s mounts a whole secret", volume.getName()).isNull());
        List<String> secretItems = new ArrayList<>();
        for (Volume volume : volumes) {
            for (SecretProjection secret : secretSources(volume)) {
                assertThat(secret.getItems())
                        .as("secret %s is projected item by item, never whole", secret.getName())
                        .isNotEmpty();
                secret.getItems().forEach(item -> secretItems.add(
                        volume.getName() + ":" + item.getKey() + "->" + item.getPath()));
            }
        }
        assertThat(secretItems).filteredOn(item -> item.contains(".key"))
                .as("private keys mounted")
                .containsExactly("relay-client-certs:tls.key->client.key");
    }

    @Test
    void serverCertItemPointedAtTheKey_failsTheRender() {
        String error = renderFailure(GROUP_ID + """
                serverCerts:
                  enabled: true
                  items:
                    cert: {key: tls.key, path: tls.crt}
                """);

        assertThat(error).contains("serverCerts.items.cert.key").contains("never mounted");
    }

    @Test
    void everyMountButTmp_isReadOnly() {
        RenderedChart chart = render(SERVER_CERTS_ON);

        assertThat(chart.agent().getVolumeMounts())
                .filteredOn(mount -> !mount.getMountPath().equals("/tmp"))
                .extracting(VolumeMount::getReadOnly)
                .containsOnly(true);
        assertThat(chart.volume("tmp").getEmptyDir()).isNotNull();
        assertThat(chart.mount("config")).get()
                .returns("/etc/hubble-tls-agent", VolumeMount::getMountPath);
    }

    private static SecretProjection onlySecret(ProjectedVolumeSource projected) {
        assertThat(projected.getSources()).hasSize(1);
        return projected.getSources().getFirst().getSecret();
    }

    private static List<SecretProjection> secretSources(Volume volume) {
        if (volume.getProjected() == null) {
            return List.of();
        }
        return volume.getProjected().getSources().stream()
                .map(VolumeProjection::getSecret)
                .flatMap(Stream::ofNullable)
                .toList();
    }
}
