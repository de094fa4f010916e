package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.finding.CheckId;

/**
 * What a check does, as spans and metrics name it.
 *
 * @param spanName        the span's name: what the check does, in a few words
 * @param probeKind       how the check reaches its verdict ({@code no-client-certificate}, ...)
 * @param expectedOutcome what a healthy node answers ({@code refused}, {@code established}, ...)
 * @param dials           whether the check dials the Hubble server's port
 * @param tls             whether the check sees a TLS session or the certificate it presented
 */
record CheckDescription(String spanName, String probeKind, String expectedOutcome,
                        boolean dials, boolean tls) {

    static CheckDescription of(CheckId check) {
        return switch (check) {
            case DISCOVERY -> new CheckDescription("discover node through the Hubble socket",
                    "socket-discovery", "listed-with-tls", false, false);
            case CLIENT_CERTIFICATE -> new CheckDescription("read relay client certificate",
                    "file", "valid", false, false);
            case CA_CERTIFICATE -> new CheckDescription("read relay CA bundle", "file", "valid",
                    false, false);
            case MTLS_HANDSHAKE -> new CheckDescription("mTLS handshake as Relay",
                    "relay-handshake", "established", true, true);
            case SERVER_CERTIFICATE -> new CheckDescription("inspect presented server certificate",
                    "inspection", "valid", false, true);
            case HUBBLE_API -> new CheckDescription("ServerStatus call over mTLS",
                    "relay-grpc-call", "answered", true, true);
            case CLIENT_CERT_REQUIRED -> new CheckDescription("dial without client certificate",
                    "no-client-certificate", "refused", true, true);
            case CLIENT_CERT_VERIFIED -> new CheckDescription(
                    "dial with foreign client certificate", "foreign-client-certificate",
                    "refused", true, true);
            case PLAINTEXT_REFUSED -> new CheckDescription("plaintext gRPC call", "plaintext",
                    "refused", true, false);
            case SERVER_CLIENT_CA -> new CheckDescription("compare server client CA with relay"
                    + " certificate", "file", "issuer-trusted", false, false);
            case SERVER_RELOAD -> new CheckDescription("compare served and on-disk server"
                    + " certificate", "inspection", "same-certificate", false, true);
            case TLS_WATCH -> new CheckDescription("watch TLS directories", "file-watch",
                    "watching", false, false);
            case CILIUM_CONFIG -> new CheckDescription("compare cilium-config with the node",
                    "kubernetes-configmap", "consistent", false, false);
        };
    }
}
