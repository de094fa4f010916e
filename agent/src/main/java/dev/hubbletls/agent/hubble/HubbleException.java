package dev.hubbletls.agent.hubble;

import java.util.Objects;

/** A call to the node-local Hubble server that failed, with what kind of failure it was. */
public final class HubbleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a call failed, coarse enough for a verdict and fine enough for a remedy. */
    public enum Kind {
        /** No connection: socket missing, not a socket, permission denied, refused. */
        UNREACHABLE,
        /** Connected, but no answer within the deadline. */
        TIMEOUT,
        /** An answer, but not the one Hubble gives: UNIMPLEMENTED, bad data, another server. */
        PROTOCOL,
        /** The node is listed, but with an address nobody can dial, such as port 99999. */
        UNUSABLE_ADDRESS
    }

    private final Kind kind;

    /** A failure whose message names the socket, what happened, and what to do. */
    public HubbleException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** A failure found without an underlying exception, such as a pre-check of the path. */
    public HubbleException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** How the call failed. */
    public Kind kind() {
        return kind;
    }
}
