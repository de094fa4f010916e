package dev.hubbletls.agent.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A client certificate chain and its private key, ready to present in a handshake.
 * {@link #toString()} never shows the key.
 *
 * @param chain the client certificate first, then any intermediates
 * @param key   the private key of the first certificate
 */
public record ClientIdentity(List<X509Certificate> chain, PrivateKey key) {

    public ClientIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a client identity needs a certificate");
        }
        Objects.requireNonNull(key, "key");
    }

    /** The client certificate itself. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** An identity from a minted certificate. */
    public static ClientIdentity of(IssuedCertificate issued) {
        return new ClientIdentity(issued.withChain(), issued.privateKey());
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + certificate().getSubjectX500Principal().getName()
                + ", key=" + key.getAlgorithm() + " (hidden)]";
    }
}
