package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.ClientIdentity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to dial: which client certificate to present, which CAs to trust for the server, and
 * how long the whole attempt (connect, handshake and the first read after it) may take.
 *
 * @param identity     the client certificate to present when the server asks for one
 * @param trust        the CA bundle the server certificate must chain to
 * @param verifyServer whether to verify the server as Relay does; when false the presented
 *                     chain is only captured
 * @param timeout      the bound on the whole attempt
 */
public record DialSpec(Optional<ClientIdentity> identity, List<X509Certificate> trust,
                       boolean verifyServer, Duration timeout) {

    public DialSpec {
        Objects.requireNonNull(identity, "identity");
        trust = List.copyOf(trust);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("dial timeout " + timeout + " must be positive");
        }
    }

    /** A dial as Relay makes it: present {@code identity}, verify the server by {@code trust}. */
    public static DialSpec asRelay(ClientIdentity identity, List<X509Certificate> trust,
                                   Duration timeout) {
        return new DialSpec(Optional.of(identity), trust, true, timeout);
    }

    /** A dial without a client certificate that only captures the server's chain. */
    public static DialSpec anonymous(Duration timeout) {
        return new DialSpec(Optional.empty(), List.of(), false, timeout);
    }

    /** A dial presenting {@code identity} that only captures the server's chain. */
    public static DialSpec presenting(ClientIdentity identity, Duration timeout) {
        return new DialSpec(Optional.of(identity), List.of(), false, timeout);
    }
}
