package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.probe.ServerCertificateCheck.Rejection;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Keeps the chain the server presents, and what the server chose so far, before it decides:
 * the chain is reported even when verification fails. Serves one dial.
 */
final class CapturingTrustManager extends X509ExtendedTrustManager {

    private final String serverName;
    private final Optional<ServerCertificateCheck> check;
    private final Clock clock;

    private volatile List<X509Certificate> presented = List.of();
    private volatile Optional<Rejection> rejection = Optional.empty();
    private volatile String protocol = "";

    /** A trust manager that verifies with {@code check}, or only captures when it is empty. */
    CapturingTrustManager(String serverName, Optional<ServerCertificateCheck> check,
                          Clock clock) {
        this.serverName = serverName;
        this.check = check;
        this.clock = clock;
    }

    List<X509Certificate> presented() {
        return presented;
    }

    Optional<Rejection> rejection() {
        return rejection;
    }

    /** The protocol the server chose, known once its certificate arrived. */
    String protocol() {
        return protocol;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (socket instanceof SSLSocket tls) {
            SSLSession session = tls.getHandshakeSession();
            protocol = session == null ? "" : session.getProtocol();
        }
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        presented = List.of(chain);
        if (check.isEmpty()) {
            return;
        }
        rejection = check.get().verify(presented, serverName, clock.instant());
        if (rejection.isPresent()) {
            throw new CertificateException(rejection.get().message());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("a probe only dials; it never accepts clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
