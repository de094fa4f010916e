package dev.hubbletls.agent.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** The key types Cilium's installers issue, plus Ed25519 which Go's TLS stack accepts. */
public enum KeyKind {
    /** What Helm and cert-manager issue by default. */
    RSA_2048("SHA256withRSA"),
    /** What the certgen CronJob issues. */
    EC_P256("SHA256withECDSA"),
    ED25519("Ed25519");

    private final String signatureAlgorithm;

    KeyKind(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The algorithm a certificate issued by a key of this kind is signed with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A fresh key pair of this kind. */
    public KeyPair generate() {
        try {
            return switch (this) {
                case RSA_2048 -> generator("RSA", 2048);
                case EC_P256 -> ecGenerator();
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + this + " keys", e);
        }
    }

    private static KeyPair generator(String algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair ecGenerator() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
