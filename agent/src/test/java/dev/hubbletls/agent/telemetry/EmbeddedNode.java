package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.demo.TlsServerSetup.ClientAuthMode;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.KeyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** The embedded Hubble node and a pass against it, as the demo runs them. */
final class EmbeddedNode implements AutoCloseable {

    final Clock clock = Clock.systemUTC();
    final EmbeddedHubble node;
    final CheckPass pass;

    EmbeddedNode() throws IOException {
        node = EmbeddedHubble.start(clock, KeyKind.EC_P256);
        pass = CheckPass.create(new AgentSettings(node.socketPath().toString(),
                node.relayFiles(), Optional.of(EmbeddedHubble.NODE), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(2), ExpiryThresholds.defaults(),
                AgentSettings.DEFAULT_INTERVAL), clock);
    }

    CheckReport healthyPass() {
        restoreHealthy();
        return pass.run();
    }

    CheckReport clientAuthOptionalPass() {
        try {
            node.restoreHealthy();
            node.reconfigure(node.setup().withClientAuth(ClientAuthMode.OPTIONAL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pass.run();
    }

    void restoreHealthy() {
        try {
            node.restoreHealthy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Slices of the relay key as it lies on disk and in DER, which must never be exported. */
    String[] keySlices() throws IOException {
        String pem = Files.readString(node.relayFiles().key());
        String body = pem.lines().filter(line -> !line.startsWith("-----"))
                .reduce("", String::concat);
        String der = Base64.getEncoder().encodeToString(
                node.pki().relayClient().privateKey().getEncoded());
        return new String[] {body.substring(body.length() / 3, body.length() / 3 + 24),
            der.substring(der.length() / 2, der.length() / 2 + 24)};
    }

    @Override
    public void close() throws IOException {
        try (node) {
            pass.close();
        }
    }
}
