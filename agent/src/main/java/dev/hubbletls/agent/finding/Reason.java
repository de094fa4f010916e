package dev.hubbletls.agent.finding;

/**
 * Stable reason codes that end every check. Reports, telemetry and alert rules key on
 * these names, so a code is never renamed; new ones are added.
 */
public enum Reason {
    OK("the check passed"),
    SKIPPED("the check could not run because an earlier one failed"),
    PROBE_FAILED("the probe failed inside the agent"),

    // Certificates, local or presented.
    CERT_EXPIRED("a certificate is past its NotAfter"),
    CERT_EXPIRING("a certificate's NotAfter is within the warning or critical threshold"),
    CERT_NOT_YET_VALID("a certificate's NotBefore is in the future by this node's clock"),
    CA_EXPIRED("a CA certificate is past its NotAfter"),
    CA_EXPIRING("a CA certificate's NotAfter is within the warning or critical threshold"),
    CA_EXPIRES_BEFORE_LEAF("a CA expires before a certificate it signed"),
    SERVER_NAME_MISMATCH("the server certificate's DNS names do not cover the expected"
            + " server name"),
    UNKNOWN_AUTHORITY("the server certificate does not chain to the trusted CA bundle"),
    SERVER_AUTH_USAGE_MISSING("the server certificate lacks the serverAuth extended key usage"),
    CLIENT_AUTH_USAGE_MISSING("the client certificate lacks the clientAuth extended key usage"),
    WEAK_KEY("a certificate carries a key too small to be trusted"),
    WEAK_SIGNATURE("a certificate is signed with SHA-1 or MD5, which Go's verifier rejects"),
    UNSUPPORTED_KEY("the key type cannot be used by Relay (Go supports RSA, ECDSA"
            + " P-256/P-384/P-521 and Ed25519)"),

    // Local material.
    FILE_MISSING("a TLS file or directory does not exist"),
    FILE_UNREADABLE("a TLS file exists but cannot be read"),
    FILE_EMPTY("a TLS file is empty"),
    UNREADABLE_PEM("a TLS file is not valid PEM of the expected kind"),
    ENCRYPTED_KEY("the private key is encrypted; Relay cannot use it"),
    KEY_MISMATCH("the private key does not belong to the certificate"),
    NON_CA_IN_BUNDLE("the CA bundle holds a certificate that is not a CA, so Relay trusts"
            + " exactly that certificate rather than an issuer"),

    // Enforcement by the server.
    MTLS_NOT_ENFORCED("the server accepts clients without a certificate"),
    FOREIGN_CLIENT_CERT_ACCEPTED("the server accepts client certificates from any issuer"),
    PLAINTEXT_ACCEPTED("the server answers plaintext gRPC on its TLS port"),
    TLS_DISABLED("the Hubble server runs without TLS"),
    CLIENT_CERT_REJECTED("the server refuses the relay's own client certificate"),
    CLIENT_CA_MISMATCH("the server's client CA bundle on disk does not hold the issuer of the"
            + " relay's client certificate, so the server refuses the relay once it loads it"),

    // Rotation of the server's certificate.
    SERVER_RELOAD_PENDING("the server certificate on disk changed and the server has not"
            + " switched to it yet, within the reload bound"),
    SERVER_NOT_RELOADED("the server still presents its previous certificate past the reload"
            + " bound after the file changed"),

    // Talking to the server.
    HANDSHAKE_FAILED("the TLS handshake failed"),
    PROTOCOL_MISMATCH("the server does not speak TLS 1.3 with ALPN h2 as Relay needs"),
    NOT_HUBBLE_API("the peer completed TLS but does not serve Hubble's gRPC API"),
    TIMEOUT("the peer did not answer within the timeout"),
    CONNECTION_REFUSED("nothing listens on the Hubble port"),
    HOST_UNREACHABLE("the Hubble address cannot be reached or resolved"),

    // Discovery through the node-local socket.
    SOCKET_UNREACHABLE("the node-local Hubble socket cannot be reached"),
    NODE_NOT_FOUND("the node-local Hubble server does not list this node"),

    // Cilium's configuration, read from the cilium-config ConfigMap.
    LISTEN_PORT_MISMATCH("hubble-listen-address names another port than the node advertises"),
    CILIUM_CONFIG_UNAVAILABLE("the cilium-config ConfigMap could not be read");

    private final String meaning;

    Reason(String meaning) {
        this.meaning = meaning;
    }

    /** One sentence saying what the code means, for documentation and the JSON report. */
    public String meaning() {
        return meaning;
    }
}
