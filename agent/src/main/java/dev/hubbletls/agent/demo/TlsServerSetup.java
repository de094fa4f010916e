package dev.hubbletls.agent.demo;

import dev.hubbletls.agent.tls.IssuedCertificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * How the embedded Hubble TLS endpoint is configured, in the terms of Cilium's
 * {@code hubble-tls-*} and {@code hubble-disable-tls} settings.
 *
 * @param serverCertificate    the key pair and chain the server presents
 *                             ({@code hubble-tls-cert-file}, {@code hubble-tls-key-file})
 * @param clientCas            the CAs client certificates must chain to
 *                             ({@code hubble-tls-client-ca-files})
 * @param clientAuth           whether the server asks for a client certificate
 * @param acceptAnyClientIssuer accept client certificates from any issuer: the
 *                             misconfiguration the agent must catch
 * @param plaintext            serve gRPC without TLS ({@code hubble-disable-tls=true})
 */
public record TlsServerSetup(IssuedCertificate serverCertificate,
                             List<X509Certificate> clientCas, ClientAuthMode clientAuth,
                             boolean acceptAnyClientIssuer, boolean plaintext) {

    /** Whether the server asks for a client certificate. */
    public enum ClientAuthMode {
        /** Cilium with client CA files: no certificate, no connection. */
        REQUIRE,
        /** The server asks but lets clients without a certificate in. */
        OPTIONAL,
        /** The server never asks. */
        NONE
    }

    public TlsServerSetup {
        Objects.requireNonNull(serverCertificate, "serverCertificate");
        clientCas = List.copyOf(clientCas);
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuthMode.NONE && clientCas.isEmpty() && !acceptAnyClientIssuer) {
            throw new IllegalArgumentException("clientAuth " + clientAuth
                    + " needs at least one client CA, or acceptAnyClientIssuer");
        }
    }

    /** The endpoint as Cilium serves it with Helm's certificates: mTLS required. */
    public static TlsServerSetup cilium(ClusterPki pki) {
        return new TlsServerSetup(pki.server(), List.of(pki.ca().certificate()),
                ClientAuthMode.REQUIRE, false, false);
    }

    /** The same setup with another server certificate. */
    public TlsServerSetup withServerCertificate(IssuedCertificate certificate) {
        return new TlsServerSetup(certificate, clientCas, clientAuth, acceptAnyClientIssuer,
                plaintext);
    }

    /** The same setup with another client CA bundle. */
    public TlsServerSetup withClientCas(List<X509Certificate> cas) {
        return new TlsServerSetup(serverCertificate, cas, clientAuth, acceptAnyClientIssuer,
                plaintext);
    }

    /** The same setup with another client-auth mode. */
    public TlsServerSetup withClientAuth(ClientAuthMode mode) {
        return new TlsServerSetup(serverCertificate, clientCas, mode, acceptAnyClientIssuer,
                plaintext);
    }

    /** The same setup accepting, or not, client certificates from any issuer. */
    public TlsServerSetup withAcceptAnyClientIssuer(boolean acceptAny) {
        return new TlsServerSetup(serverCertificate, clientCas, clientAuth, acceptAny,
                plaintext);
    }

    /** The same setup with TLS switched off ({@code true}) or on. */
    public TlsServerSetup withPlaintext(boolean withoutTls) {
        return new TlsServerSetup(serverCertificate, clientCas, clientAuth,
                acceptAnyClientIssuer, withoutTls);
    }
}
