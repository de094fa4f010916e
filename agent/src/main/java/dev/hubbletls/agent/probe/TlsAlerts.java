package dev.hubbletls.agent.probe;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TLS alert names as JSSE reports them, with their RFC 8446 codes. */
final class TlsAlerts {

    private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: (\\w+)");

    private static final Map<String, Integer> CODES = Map.ofEntries(
            Map.entry("close_notify", 0), Map.entry("unexpected_message", 10),
            Map.entry("bad_record_mac", 20), Map.entry("handshake_failure", 40),
            Map.entry("bad_certificate", 42), Map.entry("unsupported_certificate", 43),
            Map.entry("certificate_revoked", 44), Map.entry("certificate_expired", 45),
            Map.entry("certificate_unknown", 46), Map.entry("illegal_parameter", 47),
            Map.entry("unknown_ca", 48), Map.entry("access_denied", 49),
            Map.entry("decode_error", 50), Map.entry("decrypt_error", 51),
            Map.entry("protocol_version", 70), Map.entry("insufficient_security", 71),
            Map.entry("internal_error", 80), Map.entry("user_canceled", 90),
            Map.entry("missing_extension", 109), Map.entry("unsupported_extension", 110),
            Map.entry("unrecognized_name", 112), Map.entry("certificate_required", 116),
            Map.entry("no_application_protocol", 120));

    /**
     * Alerts servers send when they refuse a client certificate or its absence. OpenSSL sends
     * {@code decrypt_error} when the certificate names a trusted CA whose key did not sign it.
     */
    private static final Set<String> CERTIFICATE_REFUSALS = Set.of("handshake_failure",
            "bad_certificate", "unsupported_certificate", "certificate_revoked",
            "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
            "decrypt_error", "certificate_required");

    private TlsAlerts() {
    }

    /** The alert a peer sent, if {@code error} or one of its causes reports one. */
    static Optional<String> received(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            Matcher matcher = RECEIVED.matcher(String.valueOf(t.getMessage()));
            if (matcher.find()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    /** {@code bad_certificate (42)}, or the bare name when the code is not known. */
    static String describe(String alert) {
        Integer code = CODES.get(alert);
        return code == null ? alert : alert + " (" + code + ")";
    }

    /** Whether servers send this alert to refuse a client certificate or its absence. */
    static boolean refusesCertificate(String alert) {
        return CERTIFICATE_REFUSALS.contains(alert);
    }
}
