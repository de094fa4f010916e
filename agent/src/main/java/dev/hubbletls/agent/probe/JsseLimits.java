package dev.hubbletls.agent.probe;

import java.util.List;

/**
 * Raises JSSE's limits on what a server may send to those of Go's crypto/tls, so that a
 * chain Relay accepts is not failed by the JDK alone. JSSE caps a chain at 10 certificates
 * and a handshake message at 32 KiB; Go caps a Certificate message at 256 KiB and counts
 * no certificates.
 *
 * <p>JSSE reads these system properties once, when the first TLS context or engine of the
 * JVM is made: the command line raises them first thing, and the dialers again from their
 * static initializers for embedders; a TLS context made before that keeps the JDK's
 * defaults for the life of the JVM. A limit the user set on the command line is kept.
 */
public final class JsseLimits {

    /** Go's limit for a Certificate message ({@code maxHandshakeCertificateMsg}). */
    static final int MAX_HANDSHAKE_MESSAGE_BYTES = 256 * 1024;
    /** More certificates than a 256 KiB message can hold, as Go sets no count at all. */
    static final int MAX_CHAIN_LENGTH = 1024;

    private static final String MESSAGE_SIZE = "jdk.tls.maxHandshakeMessageSize";
    // The client-side property wins over the general one where the JDK knows it.
    private static final List<String> CHAIN_LENGTH = List.of(
            "jdk.tls.client.maxInboundCertificateChainLength",
            "jdk.tls.maxCertificateChainLength");

    private JsseLimits() {
    }

    /** Sets the properties the user has not set; later calls change nothing. */
    public static synchronized void raise() {
        if (System.getProperty(MESSAGE_SIZE) == null) {
            System.setProperty(MESSAGE_SIZE, Integer.toString(MAX_HANDSHAKE_MESSAGE_BYTES));
        }
        if (CHAIN_LENGTH.stream().allMatch(property -> System.getProperty(property) == null)) {
            CHAIN_LENGTH.forEach(property ->
                    System.setProperty(property, Integer.toString(MAX_CHAIN_LENGTH)));
        }
    }
}
