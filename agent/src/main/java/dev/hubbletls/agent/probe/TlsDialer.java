package dev.hubbletls.agent.probe;

/** Dials a Hubble TLS endpoint once and reports everything the attempt learned. */
public interface TlsDialer {

    /**
     * Connects, handshakes and reads the server's first reaction. Never throws for network
     * or TLS trouble: every way the attempt can end is a {@link HandshakeOutcome}.
     */
    HandshakeOutcome dial(ProbeTarget target, DialSpec spec);
}
