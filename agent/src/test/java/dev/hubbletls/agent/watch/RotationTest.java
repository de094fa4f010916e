package dev.hubbletls.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.KeyKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RotationTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Path FILE = Path.of("/tls/client.crt");

    @Test
    void sameCertificateWrittenAgain_saysSoInsteadOfASerialToItself() {
        String pem = pem("relay");
        FileVersion before = FileVersion.of(bytes(pem));
        FileVersion after = FileVersion.of(bytes(pem + "\n"));

        Rotation rotation = new Rotation(FILE, Optional.of(before), after, NOW);

        assertThat(rotation.describe()).isEqualTo(FILE + " changed, its first certificate"
                + " unchanged (serial " + after.serial().orElseThrow() + ")");
    }

    @Test
    void newCertificate_namesBothSerials() {
        FileVersion before = FileVersion.of(bytes(pem("relay")));
        FileVersion after = FileVersion.of(bytes(pem("relay")));

        Rotation rotation = new Rotation(FILE, Optional.of(before), after, NOW);

        assertThat(rotation.describe()).startsWith(FILE + " rotated from serial "
                + before.serial().orElseThrow() + " to serial " + after.serial().orElseThrow());
    }

    private static String pem(String subject) {
        X509Certificate certificate = CertificateMint.selfSigned(CertificateSpec.leaf(subject,
                NOW, Duration.ofDays(30)).withKeyKind(KeyKind.EC_P256)).certificate();
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
