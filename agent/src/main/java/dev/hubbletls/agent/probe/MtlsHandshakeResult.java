package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.finding.Finding;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The verdict of the Relay-like handshake, with the dial behind it so that the caller can
 * inspect the chain the server presented, whether or not it verified.
 *
 * @param finding the {@code mtls-handshake} finding
 * @param outcome what the dial learned
 */
public record MtlsHandshakeResult(Finding finding, HandshakeOutcome outcome) {

    public MtlsHandshakeResult {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The certificates the server presented, leaf first; empty if it presented none. */
    public List<X509Certificate> presentedChain() {
        return outcome.presentedChain();
    }
}
