package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusResponse;
import dev.hubbletls.agent.probe.ServerStatusDial.Outcome;
import io.grpc.Status.Code;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls {@code observer.Observer/ServerStatus} in plaintext (HTTP/2 with prior knowledge)
 * on the Hubble TLS port, which must fail: a server that answers runs without TLS and
 * lets anyone on the network read flows.
 */
public final class PlaintextProbe {

    /** How long the dial and the call may take together, unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final CheckId CHECK = CheckId.PLAINTEXT_REFUSED;

    private final Duration timeout;

    /** A probe with {@link #DEFAULT_TIMEOUT}. */
    public PlaintextProbe() {
        this(DEFAULT_TIMEOUT);
    }

    /** A probe whose dial and call must finish within {@code timeout}. */
    public PlaintextProbe(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
        this.timeout = timeout;
    }

    /** Dials {@code target} without TLS and calls ServerStatus once. */
    public Finding probe(ProbeTarget target) {
        Outcome outcome = ServerStatusDial.plaintext(target, timeout);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("address", target.address());
        details.put("grpc-status", ServerStatusDial.describe(outcome.status()));

        if (outcome.response().isPresent()) {
            return accepted(target, outcome.response().get(), details);
        }
        Optional<Reason> noConnection = ServerStatusDial.connectFailure(outcome.status());
        if (noConnection.isPresent()) {
            return notConnected(target, noConnection.get(), details);
        }
        if (outcome.http2Ready()) {
            return new Finding(CHECK, Status.WARN, Reason.PLAINTEXT_ACCEPTED, target.address()
                    + " speaks plaintext HTTP/2 on its TLS port, though ServerStatus failed ("
                    + details.get("grpc-status") + "): TLS is not enforced there and Relay's"
                    + " TLS dial fails. Check hubble-disable-tls in cilium-config.", details);
        }
        return refused(target, outcome, details);
    }

    private static Finding accepted(ProbeTarget target, ServerStatusResponse status,
                                    Map<String, String> details) {
        details.put("hubble-version", status.getVersion());
        return new Finding(CHECK, Status.CRITICAL, Reason.PLAINTEXT_ACCEPTED, "the server at "
                + target.address() + " answers plaintext gRPC on its TLS port (Hubble "
                + status.getVersion() + "): TLS is off (hubble-disable-tls), anyone can read"
                + " flows. Set hubble-disable-tls to \"false\" in cilium-config and restart"
                + " the Cilium agents.", details);
    }

    private Finding refused(ProbeTarget target, Outcome outcome, Map<String, String> details) {
        // A TLS server reads the HTTP/2 preface as a broken ClientHello; most close at once,
        // some wait for more bytes. Either way a plaintext client never gets an answer.
        if (outcome.status().getCode() == Code.DEADLINE_EXCEEDED) {
            details.put("note", "the server accepted the connection and stayed silent after"
                    + " the plaintext HTTP/2 preface for " + ServerStatusDial.millis(timeout));
            return new Finding(CHECK, Status.OK, Reason.OK, target.address()
                    + " refuses plaintext gRPC: it kept silent after the plaintext preface,"
                    + " as a TLS server waiting for a ClientHello does.", details);
        }
        return new Finding(CHECK, Status.OK, Reason.OK, target.address()
                + " refuses plaintext gRPC (" + details.get("grpc-status") + ").", details);
    }

    private Finding notConnected(ProbeTarget target, Reason reason, Map<String, String> details) {
        String why = switch (reason) {
            case CONNECTION_REFUSED -> "nothing listens on " + target.address();
            case HOST_UNREACHABLE -> target.host() + " cannot be resolved or reached";
            default -> "no TCP connection to " + target.address() + " within "
                    + ServerStatusDial.millis(timeout.dividedBy(2));
        };
        return new Finding(CHECK, Status.ERROR, reason, why + ", so whether plaintext is"
                + " refused cannot be told. This is not a certificate problem.", details);
    }
}
