package dev.hubbletls.agent.finding;

/** The checks of a pass, with the stable ids that reports and telemetry use. */
public enum CheckId {
    /** Finding this node's Hubble server through the node-local socket. */
    DISCOVERY("hubble-discovery"),
    /** The relay client certificate and key on disk. */
    CLIENT_CERTIFICATE("client-certificate"),
    /** The CA bundle the relay trusts for the server. */
    CA_CERTIFICATE("ca-certificate"),
    /** The TLS handshake as Relay does it. */
    MTLS_HANDSHAKE("mtls-handshake"),
    /** The chain the server presents, inspected whether or not it verified. */
    SERVER_CERTIFICATE("server-certificate"),
    /** A real gRPC ServerStatus call over mutual TLS. */
    HUBBLE_API("hubble-api"),
    /** A dial without a client certificate must be refused. */
    CLIENT_CERT_REQUIRED("client-cert-required"),
    /** A dial with a certificate from a foreign CA must be refused. */
    CLIENT_CERT_VERIFIED("client-cert-verified"),
    /** A plaintext gRPC call to the TLS port must fail. */
    PLAINTEXT_REFUSED("plaintext-refused"),
    /** The server's client CA bundle on disk holds the issuer of the relay's certificate. */
    SERVER_CLIENT_CA("server-client-ca"),
    /** The server presents the certificate that is on disk, within the reload bound. */
    SERVER_RELOAD("server-reload"),
    /** The TLS directories are watched for rotations (run mode only). */
    TLS_WATCH("tls-watch"),
    /** Cilium's ConfigMap agrees with what the node serves (run mode with Kubernetes only). */
    CILIUM_CONFIG("cilium-config");

    private final String id;

    CheckId(String id) {
        this.id = id;
    }

    /** The id as it appears in reports, for example {@code mtls-handshake}. */
    public String id() {
        return id;
    }
}
