package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;

/**
 * How a server treated a client it should refuse, read from a dial's outcome. Shared by the
 * probes that check enforcement of client authentication.
 */
enum ServerReaction {
    /** An alert or a hang-up: the server would not serve this client. */
    REFUSED,
    /** Application bytes, or a completed handshake followed by silence. */
    ACCEPTED,
    /** The dial ended before the server's attitude to the client showed. */
    UNDETERMINED;

    static ServerReaction of(HandshakeOutcome outcome) {
        if (outcome.established()) {
            return switch (outcome.postHandshake()) {
                case ALERT -> REFUSED;
                // A hang-up only reads as a refusal of the client's certificate (or its
                // absence) if the server asked for one.
                case CLOSED -> outcome.certificateRequested() ? REFUSED : UNDETERMINED;
                case ANSWERED, SILENT -> ACCEPTED;
                case NOT_REACHED, TOO_SLOW, ERROR -> UNDETERMINED;
            };
        }
        // TLS 1.2 servers refuse during the handshake, after asking for a certificate.
        boolean refusal = outcome.failure() == Failure.PEER_ALERT
                && (outcome.certificateRequested()
                        || outcome.alert().filter(TlsAlerts::refusesCertificate).isPresent());
        boolean hangUp = outcome.failure() == Failure.PEER_CLOSED
                && outcome.certificateRequested();
        return refusal || hangUp ? REFUSED : UNDETERMINED;
    }
}
