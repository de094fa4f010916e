package dev.hubbletls.agent.tls;

import java.util.Locale;

/** Where a certificate came from and what it is for, as reports and metrics label it. */
public enum CertificateRole {
    /** The relay client certificate, {@code client.crt}'s first block. */
    CLIENT,
    /** An intermediate that followed the client certificate in {@code client.crt}. */
    CLIENT_CHAIN,
    /** A CA in the bundle the relay trusts, {@code hubble-server-ca.crt}. */
    CA,
    /** The leaf certificate the Hubble server presented. */
    SERVER,
    /** A certificate the server presented after its leaf. */
    SERVER_CHAIN;

    /** The role as it appears in reports, for example {@code server-chain}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
