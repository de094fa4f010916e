package dev.hubbletls.agent.tls;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate together with its key pair, as a minted PKI holds it.
 *
 * @param certificate the certificate
 * @param keyPair     the key pair whose public half the certificate carries
 * @param chain       the issuing certificates above it, nearest first, excluding itself
 */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair,
                                List<X509Certificate> chain) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** This certificate followed by its issuers, as a TLS peer presents it. */
    public List<X509Certificate> withChain() {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        return List.copyOf(all);
    }
}
