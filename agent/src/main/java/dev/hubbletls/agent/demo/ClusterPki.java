package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.hubble.HubbleServerName;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.PemWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's Hubble PKI as Cilium's installers make it: one CA named {@code Cilium CA},
 * a server certificate for {@code *.<cluster>.hubble-grpc.cilium.io} and a relay client
 * certificate for {@code *.hubble-relay.cilium.io}, both with serverAuth and clientAuth.
 *
 * @param clusterName the cluster the server certificate is for
 * @param ca          the CA
 * @param server      the Hubble server certificate
 * @param relayClient the relay client certificate
 */
public record ClusterPki(String clusterName, IssuedCertificate ca, IssuedCertificate server,
                         IssuedCertificate relayClient) {

    /** The CA's name in every installer. */
    public static final String CA_NAME = "Cilium CA";
    /** The relay client certificate's name. */
    public static final String RELAY_CLIENT_NAME = "*.hubble-relay.cilium.io";
    /** Validity of the CA made by Helm: three years. */
    public static final Duration CA_VALIDITY = Duration.ofDays(1095);
    /** Validity of leaves made by Helm since Cilium 1.16.7. */
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);

    /** File names in the relay's projected volume. */
    public static final String CLIENT_CERT = "client.crt";
    public static final String CLIENT_KEY = "client.key";
    public static final String SERVER_CA = "hubble-server-ca.crt";

    /** A PKI as Helm makes it, valid from {@code now}, with keys of {@code kind}. */
    public static ClusterPki mint(String clusterName, KeyKind kind, Instant now) {
        IssuedCertificate ca = CertificateMint.selfSigned(
                CertificateSpec.authority(CA_NAME, now, CA_VALIDITY).withKeyKind(kind));
        return new ClusterPki(clusterName, ca,
                CertificateMint.issue(serverSpec(clusterName, now).withKeyKind(kind), ca),
                CertificateMint.issue(relayClientSpec(now).withKeyKind(kind), ca));
    }

    /** The spec of a server certificate for the cluster, as Helm issues it. */
    public static CertificateSpec serverSpec(String clusterName, Instant now) {
        return CertificateSpec.leaf(HubbleServerName.wildcard(clusterName), now, LEAF_VALIDITY);
    }

    /** The spec of the relay client certificate, as Helm issues it. */
    public static CertificateSpec relayClientSpec(Instant now) {
        return CertificateSpec.leaf(RELAY_CLIENT_NAME, now, LEAF_VALIDITY);
    }

    /** The same PKI with another server certificate. */
    public ClusterPki withServer(IssuedCertificate newServer) {
        return new ClusterPki(clusterName, ca, newServer, relayClient);
    }

    /** The same PKI with another relay client certificate. */
    public ClusterPki withRelayClient(IssuedCertificate newClient) {
        return new ClusterPki(clusterName, ca, server, newClient);
    }

    /** The server name of {@code node}'s Hubble server in this cluster. */
    public String serverName(String node) {
        return HubbleServerName.of(node, clusterName);
    }

    /**
     * The relay's projected volume contents: {@code client.crt}, {@code client.key} in the
     * format the installer for this key type writes, and {@code hubble-server-ca.crt}.
     */
    public Map<String, byte[]> relayClientFiles() {
        return relayClientFiles(nativeFormat(relayClient));
    }

    /** The relay's projected volume contents with the key in {@code keyFormat}. */
    public Map<String, byte[]> relayClientFiles(KeyFormat keyFormat) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CLIENT_CERT, bytes(PemWriter.certificates(List.of(relayClient.certificate()))));
        files.put(CLIENT_KEY, bytes(PemWriter.privateKey(relayClient.privateKey(), keyFormat)));
        files.put(SERVER_CA, bytes(PemWriter.certificates(List.of(ca.certificate()))));
        return files;
    }

    /** The format Cilium's installers write a key of this type in. */
    public static KeyFormat nativeFormat(IssuedCertificate issued) {
        return switch (issued.privateKey().getAlgorithm()) {
            case "RSA" -> KeyFormat.PKCS1;
            case "EC" -> KeyFormat.SEC1;
            default -> KeyFormat.PKCS8;
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
