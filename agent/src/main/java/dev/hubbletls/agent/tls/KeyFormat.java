package dev.hubbletls.agent.tls;

/** The PEM encodings in which Cilium's installers and cert-manager write private keys. */
public enum KeyFormat {
    /** {@code RSA PRIVATE KEY}: Helm's default. RSA keys only. */
    PKCS1,
    /** {@code EC PRIVATE KEY}: the certgen CronJob's. EC keys only. */
    SEC1,
    /** {@code PRIVATE KEY}: cert-manager when configured, and the only form for Ed25519. */
    PKCS8,
    /** {@code ENCRYPTED PRIVATE KEY}: unusable by Relay; written only to test that we say so. */
    PKCS8_ENCRYPTED
}
