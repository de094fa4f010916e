package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import dev.hubbletls.agent.probe.ServerStatusDial.CompletedHandshake;
import dev.hubbletls.agent.probe.ServerStatusDial.Outcome;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.ClientIdentity;
import io.grpc.Status.Code;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Calls {@code observer.Observer/ServerStatus} over mutual TLS exactly as Hubble Relay dials
 * a node, and says whether the Hubble API answers. TLS verdicts belong to the
 * {@code mtls-handshake} check; this one reports a failed handshake only as the reason it
 * could not reach the API.
 */
public final class HubbleApiProbe {

    /** How long the dial and the call may take together, unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final CheckId CHECK = CheckId.HUBBLE_API;
    private static final String SEE_HANDSHAKE = "see " + CheckId.MTLS_HANDSHAKE.id();

    private final Duration timeout;

    /** A probe with {@link #DEFAULT_TIMEOUT}. */
    public HubbleApiProbe() {
        this(DEFAULT_TIMEOUT);
    }

    /** A probe whose dial and call must finish within {@code timeout}. */
    public HubbleApiProbe(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
        this.timeout = timeout;
    }

    /**
     * Dials {@code target} with {@code identity} as the client certificate and
     * {@code trustedCas} as the only trust anchors, and calls ServerStatus once.
     */
    public Finding probe(ProbeTarget target, ClientIdentity identity,
                         List<X509Certificate> trustedCas) {
        if (trustedCas.isEmpty()) {
            return skipped(target, "the CA bundle is empty, so no server can be trusted; see "
                    + CheckId.CA_CERTIFICATE.id(), Map.of());
        }
        SslContext relayTls;
        try {
            relayTls = ServerStatusDial.relayContext(identity, trustedCas);
        } catch (SSLException | IllegalArgumentException e) {
            return skipped(target, "the relay's TLS settings cannot be built from " + identity
                    + " (" + e.getMessage() + "); see " + CheckId.CLIENT_CERTIFICATE.id(),
                    Map.of());
        }
        return verdict(target, ServerStatusDial.overTls(target, relayTls, timeout));
    }

    private Finding verdict(ProbeTarget target, Outcome outcome) {
        if (outcome.response().isPresent()) {
            return answered(target, outcome.response().get(), outcome.handshake());
        }
        Map<String, String> details = failureDetails(target, outcome);
        Optional<Reason> noConnection = ServerStatusDial.connectFailure(outcome.status());
        if (noConnection.isPresent()) {
            return notConnected(target, noConnection.get(), details);
        }
        Optional<SSLException> tlsFailure = ServerStatusDial.tlsFailure(outcome.status());
        if (tlsFailure.isPresent()) {
            return skipped(target, tlsFailed(tlsFailure.get()), details);
        }
        return outcome.handshake()
                .map(handshake -> afterHandshake(target, outcome, handshake, details))
                .orElseGet(() -> noHandshake(target, outcome, details));
    }

    private static Finding answered(ProbeTarget target, ServerStatusResponse status,
                                    Optional<CompletedHandshake> handshake) {
        Duration uptime = Duration.ofNanos(status.getUptimeNs()).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> details = targetDetails(target);
        details.put("hubble-version", status.getVersion());
        details.put("uptime", uptime.toString());
        details.put("flows", Long.toUnsignedString(status.getNumFlows()));
        details.put("max-flows", Long.toUnsignedString(status.getMaxFlows()));
        details.put("seen-flows", Long.toUnsignedString(status.getSeenFlows()));
        handshake.ifPresent(done -> details.putAll(handshakeDetails(done)));
        String message = "Hubble at " + target.address() + " answers ServerStatus over mutual"
                + " TLS as " + target.serverName() + ": version " + status.getVersion()
                + ", up " + uptime + ", " + Long.toUnsignedString(status.getNumFlows())
                + " of " + Long.toUnsignedString(status.getMaxFlows()) + " flows buffered";
        return new Finding(CHECK, Status.OK, Reason.OK, message, details);
    }

    private Finding notConnected(ProbeTarget target, Reason reason, Map<String, String> details) {
        String why = switch (reason) {
            case CONNECTION_REFUSED -> "nothing listens on " + target.address()
                    + ": the Hubble server is down or listens elsewhere"
                    + " (hubble-listen-address)";
            case HOST_UNREACHABLE -> target.host() + " cannot be resolved or reached";
            default -> "no TCP connection to " + target.address() + " within "
                    + ServerStatusDial.millis(timeout.dividedBy(2)) + ": packets are dropped"
                    + " on the way (firewall, network policy, wrong address)";
        };
        return new Finding(CHECK, Status.ERROR, reason, why + ". This is not a certificate"
                + " problem.", details);
    }

    private static String tlsFailed(SSLException failure) {
        if (failure instanceof NotSslRecordException) {
            return "TLS failed: the server answered with bytes that are not TLS; if it runs"
                    + " with hubble-disable-tls=true, see " + CheckId.PLAINTEXT_REFUSED.id();
        }
        return "TLS failed (" + failure.getMessage() + "), " + SEE_HANDSHAKE;
    }

    private Finding afterHandshake(ProbeTarget target, Outcome outcome,
                                   CompletedHandshake handshake, Map<String, String> details) {
        details.putAll(handshakeDetails(handshake));
        String grpc = ServerStatusDial.describe(outcome.status());
        if (handshake.applicationProtocol().isEmpty()) {
            return notHubble(target.address() + " completed TLS but agreed on no ALPN"
                    + " protocol; gRPC needs h2, so a plain TLS service or a TLS-terminating"
                    + " proxy holds the port (" + grpc + ")", details);
        }
        if (outcome.http2Ready()) {
            return afterHttp2(target, outcome, details);
        }
        if (outcome.status().getCode() == Code.DEADLINE_EXCEEDED) {
            return silentAfterHandshake(target, handshake, details);
        }
        if (spokeOtherThanHttp2(outcome.status())) {
            return notHubble(target.address() + " completed TLS with ALPN h2 and then sent"
                    + " bytes that are not HTTP/2 (" + grpc + "): the peer is not a gRPC"
                    + " server. Check what listens on the Hubble port", details);
        }
        // A TLS 1.3 server checks the client certificate after the client's handshake has
        // completed; when it rejects it without an alert, only a closed connection is seen.
        return skipped(target, "the server closed the connection right after the TLS"
                + " handshake without speaking HTTP/2 (" + grpc + "). That is how a TLS 1.3"
                + " server rejects a client certificate, " + SEE_HANDSHAKE + "; if that"
                + " check passes, the peer is not a gRPC server", details);
    }

    // Netty names a peer whose first bytes are no SETTINGS frame with an Http2Exception; a
    // peer that refused our certificate sends an alert or nothing, never such bytes.
    private static boolean spokeOtherThanHttp2(io.grpc.Status status) {
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof Http2Exception) {
                return true;
            }
        }
        return false;
    }

    // A gRPC server sends its HTTP/2 SETTINGS right after the handshake. Silence is proof
    // of "not gRPC" only when it lasted long enough; a handshake that completed just
    // before the deadline proves nothing but slowness.
    private Finding silentAfterHandshake(ProbeTarget target, CompletedHandshake handshake,
                                         Map<String, String> details) {
        Duration silence = handshake.beforeCallEnded();
        if (silence.compareTo(timeout.dividedBy(2)) < 0) {
            return new Finding(CHECK, Status.ERROR, Reason.TIMEOUT, target.address()
                    + " completed TLS only " + ServerStatusDial.millis(silence) + " before the"
                    + " " + ServerStatusDial.millis(timeout) + " timeout and sent no HTTP/2"
                    + " by then: the server or this node is too slow to tell more.", details);
        }
        return notHubble(target.address() + " completed TLS with ALPN h2 and then sent no"
                + " HTTP/2 for " + ServerStatusDial.millis(silence) + ": the peer is not a"
                + " gRPC server. Check what listens on the Hubble port", details);
    }

    private Finding afterHttp2(ProbeTarget target, Outcome outcome, Map<String, String> details) {
        Code code = outcome.status().getCode();
        String grpc = ServerStatusDial.describe(outcome.status());
        if (code == Code.DEADLINE_EXCEEDED) {
            return new Finding(CHECK, Status.ERROR, Reason.TIMEOUT, target.address()
                    + " speaks gRPC over TLS but ServerStatus did not answer within "
                    + ServerStatusDial.millis(timeout) + ": the Hubble server is overloaded"
                    + " or stuck; check the cilium-agent log.", details);
        }
        if (code == Code.UNIMPLEMENTED) {
            return notHubble(target.address() + " speaks gRPC but has no"
                    + " observer.Observer/ServerStatus (" + grpc + "): another gRPC service"
                    + " holds the Hubble port", details);
        }
        return notHubble(target.address() + " speaks gRPC but ServerStatus failed with "
                + grpc + "; Relay's calls will fail the same way", details);
    }

    private Finding noHandshake(ProbeTarget target, Outcome outcome, Map<String, String> details) {
        if (outcome.status().getCode() == Code.DEADLINE_EXCEEDED) {
            return new Finding(CHECK, Status.ERROR, Reason.TIMEOUT, target.address()
                    + " accepted the TCP connection but no TLS handshake completed within "
                    + ServerStatusDial.millis(timeout) + ": the server is stuck or something"
                    + " in between swallows the handshake.", details);
        }
        return skipped(target, "TLS failed: the connection closed before the handshake"
                + " completed (" + ServerStatusDial.describe(outcome.status()) + "), "
                + SEE_HANDSHAKE, details);
    }

    private static Finding notHubble(String message, Map<String, String> details) {
        return new Finding(CHECK, Status.CRITICAL, Reason.NOT_HUBBLE_API, message
                + ". Relay cannot read flows from this node.", details);
    }

    private static Finding skipped(ProbeTarget target, String why, Map<String, String> more) {
        Map<String, String> details = targetDetails(target);
        details.putAll(more);
        return new Finding(CHECK, Status.ERROR, Reason.SKIPPED, "Hubble API at "
                + target.address() + " not reached: " + why + ".", details);
    }

    private static Map<String, String> failureDetails(ProbeTarget target, Outcome outcome) {
        Map<String, String> details = targetDetails(target);
        details.put("grpc-status", ServerStatusDial.describe(outcome.status()));
        return details;
    }

    private static Map<String, String> targetDetails(ProbeTarget target) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("address", target.address());
        details.put("server-name", target.serverName());
        return details;
    }

    private static Map<String, String> handshakeDetails(CompletedHandshake handshake) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("tls-protocol", handshake.protocol());
        details.put("tls-cipher", handshake.cipherSuite());
        details.put("alpn", handshake.applicationProtocol());
        if (!handshake.serverChain().isEmpty()) {
            details.put("server-certificate-sha256",
                    CertificateFacts.fingerprint(handshake.serverChain().get(0)));
        }
        return details;
    }
}
