package dev.hubbletls.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectedVolumeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void publish_visibleFilesAreSymlinksIntoData(@TempDir Path dir) throws Exception {
        ProjectedVolume volume = new ProjectedVolume(dir, clock);

        volume.publish(Map.of("client.crt", ascii("one")));

        Path visible = dir.resolve("client.crt");
        assertThat(Files.isSymbolicLink(visible)).isTrue();
        assertThat(Files.readSymbolicLink(visible)).isEqualTo(Path.of("..data", "client.crt"));
        assertThat(Files.readString(visible)).isEqualTo("one");
    }

    @Test
    void republish_movesDataAndRemovesPreviousVersion(@TempDir Path dir) throws Exception {
        ProjectedVolume volume = new ProjectedVolume(dir, clock);
        volume.publish(Map.of("client.crt", ascii("one")));
        Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));

        volume.publish(Map.of("client.crt", ascii("two")));

        assertThat(Files.readString(dir.resolve("client.crt"))).isEqualTo("two");
        assertThat(first).doesNotExist();
        assertThat(dir.resolve("..data_tmp")).doesNotExist();
    }

    @Test
    void clusterPki_relayFilesParseAsPemOfTheRightKinds() {
        ClusterPki pki = ClusterPki.mint("default", dev.hubbletls.agent.tls.KeyKind.EC_P256,
                clock.instant());

        Map<String, byte[]> files = pki.relayClientFiles();

        assertThat(new String(files.get(ClusterPki.CLIENT_KEY), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pki.serverName("kind-worker"))
                .isEqualTo("kind-worker.default.hubble-grpc.cilium.io");
        assertThat(pki.server().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=*.default.hubble-grpc.cilium.io");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
