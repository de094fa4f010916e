package dev.hubbletls.agent.probe;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one TLS dial learned: where it ended, what was negotiated, what the server presented
 * and asked for, and how the server reacted to the first application bytes.
 *
 * <p>In TLS 1.3 the client's handshake completes before the server has looked at the
 * client certificate, so a server's refusal shows up in {@link #postHandshake()} as an
 * {@link PostHandshake#ALERT}, not as a handshake {@link #failure()}.
 *
 * @param stage                where the attempt ended
 * @param failure              why the connect or handshake failed; {@link Failure#NONE}
 *                             once the handshake completed
 * @param postHandshake        the server's reaction after the handshake
 * @param alert                the TLS alert the server sent, by its RFC 8446 name
 * @param protocol             the protocol the server chose, also when the handshake failed
 *                             after it; empty when unknown
 * @param cipherSuite          the negotiated cipher suite; empty without a completed handshake
 * @param alpn                 the negotiated ALPN protocol; empty when none was negotiated
 * @param handshakeDuration    how long the handshake took; zero without a completed handshake
 * @param presentedChain       the certificates the server presented, verified or not
 * @param certificateRequested whether the server asked for a client certificate
 * @param acceptedIssuers      the CA names the server said it accepts client certificates from
 * @param error                the underlying error, for people; no stack trace
 */
public record HandshakeOutcome(Stage stage, Failure failure, PostHandshake postHandshake,
                               Optional<String> alert, String protocol, String cipherSuite,
                               String alpn, Duration handshakeDuration,
                               List<X509Certificate> presentedChain,
                               boolean certificateRequested, List<String> acceptedIssuers,
                               Optional<String> error) {

    /** The step of a dial. */
    public enum Stage { CONNECT, HANDSHAKE, AFTER_HANDSHAKE }

    /** Why a dial ended before the handshake completed. */
    public enum Failure {
        /** The handshake completed. */
        NONE,
        CONNECTION_REFUSED,
        /** The name did not resolve, or no route leads to the address. */
        HOST_UNREACHABLE,
        /** The connect or the handshake did not finish within the timeout. */
        TIMEOUT,
        /** The peer answered with bytes that are not TLS. */
        NOT_TLS,
        /** The server sent a fatal alert during the handshake. */
        PEER_ALERT,
        /** The server closed or reset the connection during the handshake, without an alert. */
        PEER_CLOSED,
        UNKNOWN_AUTHORITY,
        SERVER_NAME_MISMATCH,
        SERVER_CERT_EXPIRED,
        SERVER_CERT_NOT_YET_VALID,
        /** A CA certificate in the server's chain or the trusted bundle is past NotAfter. */
        SERVER_CA_EXPIRED,
        SERVER_AUTH_USAGE_MISSING,
        /** A certificate of the server's chain is signed with SHA-1 or MD5. */
        WEAK_SIGNATURE,
        /** The server certificate's key is of a type Go's TLS cannot use. */
        UNSUPPORTED_KEY,
        /** Any other handshake error, local or remote. */
        HANDSHAKE_ERROR
    }

    /** The server's reaction to the HTTP/2 preface sent after the handshake. */
    public enum PostHandshake {
        /** The handshake did not complete. */
        NOT_REACHED,
        /** Bytes came back: the server accepted the session. */
        ANSWERED,
        /** A fatal alert came back: the server refused the session after the handshake. */
        ALERT,
        /** The server closed or reset the connection without an alert. */
        CLOSED,
        /** Nothing came back within the timeout. */
        SILENT,
        /** Nothing came back, but the handshake left too little of the timeout to tell. */
        TOO_SLOW,
        /** Reading failed for another reason. */
        ERROR
    }

    public HandshakeOutcome {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(postHandshake, "postHandshake");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(alpn, "alpn");
        Objects.requireNonNull(handshakeDuration, "handshakeDuration");
        presentedChain = List.copyOf(presentedChain);
        acceptedIssuers = List.copyOf(acceptedIssuers);
        Objects.requireNonNull(error, "error");
    }

    /** Whether the TLS handshake completed, from this client's point of view. */
    public boolean established() {
        return failure == Failure.NONE;
    }

    /** Whether the server's certificates failed Relay's verification. */
    public boolean serverCertificateRejected() {
        return switch (failure) {
            case UNKNOWN_AUTHORITY, SERVER_NAME_MISMATCH, SERVER_CERT_EXPIRED,
                 SERVER_CERT_NOT_YET_VALID, SERVER_CA_EXPIRED, SERVER_AUTH_USAGE_MISSING,
                 WEAK_SIGNATURE, UNSUPPORTED_KEY -> true;
            default -> false;
        };
    }

    /** Whether the attempt never got a TLS conversation going: nothing to say about TLS. */
    public boolean connectionLevel() {
        return switch (failure) {
            case CONNECTION_REFUSED, HOST_UNREACHABLE, TIMEOUT -> true;
            default -> false;
        };
    }
}
