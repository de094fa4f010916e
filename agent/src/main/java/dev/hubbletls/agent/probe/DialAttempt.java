package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.probe.HandshakeOutcome.PostHandshake;
import dev.hubbletls.agent.probe.HandshakeOutcome.Stage;
import dev.hubbletls.agent.probe.ServerCertificateCheck.Rejection;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One dial: connect, handshake, send the HTTP/2 preface, read the server's first reaction.
 * Runs on the caller's thread; only {@link #expire()} comes from the deadline thread.
 */
final class DialAttempt {

    /** The HTTP/2 client connection preface followed by an empty SETTINGS frame. */
    private static final byte[] HTTP2_PREFACE = concat(
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String NOT_TLS = "Unsupported or unrecognized SSL message";

    private final ProbeTarget target;
    private final DialSpec spec;
    private final long startNanos = System.nanoTime();
    private final Socket socket = new Socket();
    private final AtomicBoolean expired = new AtomicBoolean();
    private final RecordingKeyManager keys;
    private final CapturingTrustManager trust;

    DialAttempt(ProbeTarget target, DialSpec spec, Clock clock) {
        this.target = target;
        this.spec = spec;
        this.keys = new RecordingKeyManager(spec.identity());
        this.trust = new CapturingTrustManager(target.serverName(),
                spec.verifyServer()
                        ? Optional.of(new ServerCertificateCheck(spec.trust()))
                        : Optional.empty(),
                clock);
    }

    HandshakeOutcome run() {
        // Name resolution happens before the connect and is not bounded by the timeout;
        // Hubble peers announce IP addresses, so it rarely runs at all.
        try {
            socket.connect(new InetSocketAddress(target.host(), target.port()),
                    remainingMillis());
        } catch (IOException | RuntimeException e) {
            return connectFailed(e);
        }
        SSLSocket tls;
        long handshakeStart = System.nanoTime();
        try {
            tls = layer();
            tls.startHandshake();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return handshakeFailed(e);
        }
        Duration handshake = Duration.ofNanos(System.nanoTime() - handshakeStart);
        return afterHandshake(tls, handshake);
    }

    /** Called by the deadline thread: unblocks whatever this dial is waiting for. */
    void expire() {
        expired.set(true);
        close();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort; the dial already has its outcome.
        }
    }

    private SSLSocket layer() throws IOException, GeneralSecurityException {
        // A fresh context per dial: a resumed session would skip the client certificate.
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, target.serverName(), target.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setApplicationProtocols(new String[] {"h2"});
        sniFor(target.serverName()).ifPresent(sni -> parameters.setServerNames(List.of(sni)));
        // Our trust manager checks the name with Go's rules, so JSSE's own check stays off.
        parameters.setEndpointIdentificationAlgorithm(null);
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remainingMillis());
        return tls;
    }

    private HandshakeOutcome afterHandshake(SSLSocket tls, Duration handshake) {
        SSLSession session = tls.getSession();
        Optional<IOException> writeError = sendPreface(tls);
        PostHandshake reaction;
        Optional<Throwable> error = writeError.map(Throwable.class::cast);
        long waitStart = System.nanoTime();
        try {
            tls.setSoTimeout(remainingMillis());
            // A TLS 1.3 server judges the client certificate after the client's handshake is
            // over, so its verdict arrives only here: application bytes, or an alert.
            int read = tls.getInputStream().read(new byte[64]);
            reaction = read < 0 ? PostHandshake.CLOSED : PostHandshake.ANSWERED;
        } catch (IOException | RuntimeException e) {
            error = Optional.of(e);
            reaction = readFailure(e);
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - waitStart);
        if (reaction == PostHandshake.SILENT && waited.compareTo(spec.timeout().dividedBy(2)) < 0) {
            // Silence means "accepted" only when the server had time to speak: a handshake
            // that used up most of the timeout leaves too short a wait to tell.
            reaction = PostHandshake.TOO_SLOW;
            error = Optional.of(new SocketTimeoutException("the handshake took "
                    + handshake.toMillis() + " ms of the " + spec.timeout().toMillis()
                    + " ms timeout, leaving " + waited.toMillis() + " ms to wait for the"
                    + " server's verdict: too slow to tell; raise --timeout"));
        }
        return new HandshakeOutcome(Stage.AFTER_HANDSHAKE, Failure.NONE, reaction,
                error.flatMap(TlsAlerts::received), session.getProtocol(),
                session.getCipherSuite(), String.valueOf(tls.getApplicationProtocol()),
                handshake, trust.presented(), keys.certificateRequested(),
                keys.acceptedIssuers(), error.map(DialAttempt::describe));
    }

    private static Optional<IOException> sendPreface(SSLSocket tls) {
        try {
            OutputStream out = tls.getOutputStream();
            out.write(HTTP2_PREFACE);
            out.flush();
            return Optional.empty();
        } catch (IOException e) {
            // The server may already have refused and closed; the read below still sees why.
            return Optional.of(e);
        }
    }

    private PostHandshake readFailure(Throwable e) {
        if (expired.get() || has(e, SocketTimeoutException.class)) {
            return PostHandshake.SILENT;
        }
        if (TlsAlerts.received(e).isPresent()) {
            return PostHandshake.ALERT;
        }
        if (has(e, SocketException.class) || has(e, EOFException.class)) {
            return PostHandshake.CLOSED;
        }
        return PostHandshake.ERROR;
    }

    private HandshakeOutcome handshakeFailed(Throwable e) {
        Failure failure = handshakeFailure(e);
        String message = failure == Failure.TIMEOUT
                ? "no complete TLS handshake within " + spec.timeout().toMillis() + " ms ("
                        + describe(e) + ")"
                : trust.rejection().map(Rejection::message).orElse(describe(e));
        return new HandshakeOutcome(Stage.HANDSHAKE, failure, PostHandshake.NOT_REACHED,
                TlsAlerts.received(e), trust.protocol(), "", "", Duration.ZERO,
                trust.presented(), keys.certificateRequested(), keys.acceptedIssuers(),
                Optional.of(message));
    }

    private Failure handshakeFailure(Throwable e) {
        if (expired.get() || has(e, SocketTimeoutException.class)) {
            return Failure.TIMEOUT;
        }
        if (trust.rejection().isPresent()) {
            return trust.rejection().get().failure();
        }
        if (TlsAlerts.received(e).isPresent()) {
            return Failure.PEER_ALERT;
        }
        if (mentions(e, NOT_TLS)) {
            return Failure.NOT_TLS;
        }
        // A TLS 1.3 server that refuses our certificate while we still write our flight
        // leaves only a broken pipe: its alert, sealed with handshake keys, dies with JSSE's
        // socket. Callers read a hang-up after a certificate request as a refusal.
        if (has(e, EOFException.class) || has(e, SocketException.class)) {
            return Failure.PEER_CLOSED;
        }
        return Failure.HANDSHAKE_ERROR;
    }

    /** Why connect() failed; {@code expired} when the dial's deadline closed the socket. */
    static Failure connectFailure(Throwable e, boolean expired) {
        if (expired || e instanceof SocketTimeoutException) {
            return Failure.TIMEOUT;
        }
        if (e instanceof ConnectException && mentions(e, "refused")) {
            return Failure.CONNECTION_REFUSED;
        }
        // A peer that accepts and resets at once can do so before connect() returns: the
        // address was reached, and the server closed the connection.
        if (e instanceof SocketException && mentions(e, "reset")) {
            return Failure.PEER_CLOSED;
        }
        // Unknown host, no route, network unreachable and the rest: the address is no good.
        return Failure.HOST_UNREACHABLE;
    }

    private HandshakeOutcome connectFailed(Throwable e) {
        return new HandshakeOutcome(Stage.CONNECT, connectFailure(e, expired.get()),
                PostHandshake.NOT_REACHED, Optional.empty(), "", "", "", Duration.ZERO,
                List.of(), false, List.of(), Optional.of(describe(e)));
    }

    private int remainingMillis() throws SocketTimeoutException {
        long left = spec.timeout().toNanos() - (System.nanoTime() - startNanos);
        if (left <= 0) {
            throw new SocketTimeoutException("the dial timeout of " + spec.timeout()
                    + " has passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }

    private static Optional<SNIHostName> sniFor(String serverName) {
        try {
            return Optional.of(new SNIHostName(serverName));
        } catch (IllegalArgumentException e) {
            // Not a host name (an IP address, say): Go sends no SNI for those either.
            return Optional.empty();
        }
    }

    private static boolean has(Throwable error, Class<? extends Throwable> kind) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** The error and its innermost cause, one line each at most, no stack trace. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (root != error && !String.valueOf(error.getMessage()).contains(
                String.valueOf(root.getMessage()))) {
            text += " (caused by " + root.getClass().getSimpleName() + ": "
                    + root.getMessage() + ")";
        }
        return text;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
