package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.watch.FileVersion;
import dev.hubbletls.agent.watch.Rotation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void reportWithRotations_listsFileSerialsAndFingerprints_neverContent() {
        ClusterPki before = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        ClusterPki after = ClusterPki.mint("default", KeyKind.EC_P256, NOW);
        Map<String, byte[]> old = before.relayClientFiles();
        Map<String, byte[]> renewed = after.relayClientFiles();
        Rotation certificate = new Rotation(Path.of("/tls/client.crt"),
                Optional.of(FileVersion.of(old.get("client.crt"))),
                FileVersion.of(renewed.get("client.crt")), NOW);
        Rotation key = new Rotation(Path.of("/tls/client.key"),
                Optional.of(FileVersion.of(old.get("client.key"))),
                FileVersion.of(renewed.get("client.key")), NOW);

        ObjectNode json = ReportJson.tree(report().withRotations(List.of(certificate, key)), NOW);

        JsonNode rotations = json.get("rotationsSincePreviousPass");
        assertThat(rotations).hasSize(2);
        assertThat(rotations.get(0).get("file").asText()).isEqualTo("/tls/client.crt");
        assertThat(rotations.get(0).get("detectedAt").asText()).isEqualTo(NOW.toString());
        assertThat(rotations.get(0).get("before").get("serial").asText())
                .isEqualTo(before.relayClient().certificate().getSerialNumber().toString(16));
        assertThat(rotations.get(0).get("after").get("notAfter").asText())
                .isEqualTo(after.relayClient().certificate().getNotAfter().toInstant()
                        .toString());
        assertThat(rotations.get(1).get("after").has("serial")).isFalse();
        assertThat(rotations.get(1).get("after").get("sha256").asText()).hasSize(64);
        assertThat(json.toString()).doesNotContain("PRIVATE", "BEGIN");
    }

    @Test
    void reportWithoutRotations_hasNoRotationField() {
        assertThat(ReportJson.tree(report(), NOW).has("rotationsSincePreviousPass")).isFalse();
    }

    private static CheckReport report() {
        return new CheckReport(Optional.empty(), Optional.empty(), NOW, NOW, List.of(),
                List.of(), Map.of());
    }
}
