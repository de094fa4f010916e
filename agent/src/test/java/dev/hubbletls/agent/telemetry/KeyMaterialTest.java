package dev.hubbletls.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.EmbeddedHubble;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nothing the agent exports may carry the relay's private key or any PEM block. */
class KeyMaterialTest {

    private static EmbeddedNode embedded;

    @BeforeAll
    static void startNode() throws IOException {
        embedded = new EmbeddedNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        embedded.close();
    }

    @Test
    void inMemoryExport_ofHealthyFaultyAndRotation_holdsNoKeyMaterial() throws IOException {
        String exported;
        try (InMemoryTelemetry memory = new InMemoryTelemetry(embedded.clock,
                Duration.ofHours(1), Optional.of(EmbeddedHubble.NODE))) {
            recordEverything(memory.telemetry);
            exported = Stream.of(memory.spans(), memory.events(), memory.collectMetrics())
                    .flatMap(items -> items.stream().map(Object::toString))
                    .collect(Collectors.joining("\n")) + memory.prometheusText();
        }

        assertThat(exported).contains("hubble_tls.mtls.not_enforced")
                .contains("hubble_tls_certificate_expiry_seconds");
        assertNoKeyMaterial(exported);
    }

    @Test
    void otlpWire_ofHealthyFaultyAndRotation_holdsNoKeyMaterial() throws Exception {
        String received;
        try (OtlpReceiver receiver = OtlpReceiver.start();
             AgentTelemetry telemetry = AgentTelemetry.configure(Map.of(),
                     Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()),
                     embedded.clock, Duration.ofHours(1), Optional.empty())) {
            recordEverything(telemetry);
            assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
            received = receiver.everythingReceived();
        }

        assertThat(received).contains("hubble_tls.mtls.not_enforced")
                .contains("hubble_tls.certificate.expiry");
        assertNoKeyMaterial(received);
    }

    private static void recordEverything(AgentTelemetry telemetry) {
        telemetry.record(embedded.healthyPass());
        telemetry.record(embedded.clientAuthOptionalPass());
        telemetry.recordRotation(embedded.node.relayFiles().key().toString());
        telemetry.record(embedded.healthyPass());
    }

    private static void assertNoKeyMaterial(String exported) throws IOException {
        assertThat(exported).doesNotContain("PRIVATE KEY").doesNotContain("-----BEGIN");
        for (String slice : embedded.keySlices()) {
            assertThat(exported).doesNotContain(slice);
        }
    }
}
