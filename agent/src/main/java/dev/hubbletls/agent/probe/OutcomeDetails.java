package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.CertificateFacts;
import java.math.BigDecimal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts of a dial as finding details, and the phrases probe messages share. */
final class OutcomeDetails {

    private OutcomeDetails() {
    }

    static Map<String, String> of(ProbeTarget target, HandshakeOutcome outcome) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("address", target.address());
        details.put("serverName", target.serverName());
        details.put("stage", outcome.stage().name());
        details.put("failure", outcome.failure().name());
        details.put("postHandshake", outcome.postHandshake().name());
        outcome.alert().ifPresent(alert -> details.put("alert", TlsAlerts.describe(alert)));
        putIfSet(details, "protocol", outcome.protocol());
        putIfSet(details, "cipherSuite", outcome.cipherSuite());
        if (outcome.established()) {
            details.put("alpn", outcome.alpn().isEmpty() ? "(none)" : outcome.alpn());
            details.put("handshakeMillis", Long.toString(outcome.handshakeDuration().toMillis()));
        }
        details.put("certificateRequested", Boolean.toString(outcome.certificateRequested()));
        if (!outcome.acceptedIssuers().isEmpty()) {
            details.put("acceptedIssuers", String.join("; ", outcome.acceptedIssuers()));
        }
        if (!outcome.presentedChain().isEmpty()) {
            X509Certificate leaf = outcome.presentedChain().get(0);
            details.put("serverSubject", leaf.getSubjectX500Principal().getName());
            details.put("serverIssuer", leaf.getIssuerX500Principal().getName());
            details.put("serverSha256", CertificateFacts.fingerprint(leaf));
        }
        outcome.error().ifPresent(error -> details.put("error", error));
        return details;
    }

    /** {@code alert bad_certificate (42)}, or {@code no alert}. */
    static String alertText(HandshakeOutcome outcome) {
        return outcome.alert().map(alert -> "alert " + TlsAlerts.describe(alert))
                .orElse("no alert");
    }

    /** Whether and how the server asked for a client certificate, for messages. */
    static String requestText(HandshakeOutcome outcome) {
        if (!outcome.certificateRequested()) {
            return "the server did not request a client certificate";
        }
        if (outcome.acceptedIssuers().isEmpty()) {
            return "the server requested a client certificate";
        }
        return "the server requested a client certificate issued by "
                + String.join("; ", outcome.acceptedIssuers());
    }

    /** Seconds with up to three decimals, for messages: {@code 2 s}, {@code 0.25 s}. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros()
                .toPlainString() + " s";
    }

    private static void putIfSet(Map<String, String> details, String key, String value) {
        if (!value.isEmpty()) {
            details.put(key, value);
        }
    }
}
