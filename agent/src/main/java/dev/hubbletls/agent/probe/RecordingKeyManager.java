package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.ClientIdentity;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the probe's client identity, if any, and records whether the server asked for a
 * client certificate and from which CAs it accepts one. Serves one dial.
 */
final class RecordingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "probe-client";

    private final Optional<ClientIdentity> identity;

    private volatile boolean requested;
    private volatile List<String> acceptedIssuers = List.of();

    RecordingKeyManager(Optional<ClientIdentity> identity) {
        this.identity = identity;
    }

    boolean certificateRequested() {
        return requested;
    }

    List<String> acceptedIssuers() {
        return acceptedIssuers;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        requested = true;
        if (issuers != null && issuers.length > 0) {
            acceptedIssuers = Arrays.stream(issuers).map(Principal::getName).toList();
        }
        // The identity goes out even when its issuer is not among the server's accepted CAs,
        // unlike Go's client, so that the server names its objection in an alert.
        return identity.filter(id -> fits(id, keyTypes)).map(id -> ALIAS).orElse(null);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
                                          SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return identity.filter(id -> ALIAS.equals(alias))
                .map(id -> id.chain().toArray(X509Certificate[]::new))
                .orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return identity.filter(id -> ALIAS.equals(alias)).map(ClientIdentity::key).orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return identity.map(id -> new String[] {ALIAS}).orElse(null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** JSSE asks per key type (RSA, EC, EdDSA, RSASSA-PSS); answer only for our key's. */
    private static boolean fits(ClientIdentity identity, String[] keyTypes) {
        String ours = keyType(identity.certificate().getPublicKey().getAlgorithm());
        return Arrays.stream(keyTypes).map(RecordingKeyManager::keyType).anyMatch(ours::equals);
    }

    private static String keyType(String algorithm) {
        return switch (algorithm) {
            case "Ed25519", "Ed448" -> "EdDSA";
            default -> algorithm;
        };
    }
}
