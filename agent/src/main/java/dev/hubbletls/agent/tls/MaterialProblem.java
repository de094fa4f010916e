package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.Reason;

/** What is wrong with one file of the relay's TLS material. */
public enum MaterialProblem {
    /** The path, or the target of its symlink, does not exist. */
    MISSING(Reason.FILE_MISSING),
    /** The path exists but cannot be read: a directory, no permission, an I/O error. */
    UNREADABLE(Reason.FILE_UNREADABLE),
    /** The file has no bytes. */
    EMPTY(Reason.FILE_EMPTY),
    /** The file is far larger than any certificate bundle, so it is not read at all. */
    TOO_LARGE(Reason.UNREADABLE_PEM),
    /** No PEM block, or a block that does not decode: garbage, binary, truncated, corrupted. */
    NOT_PEM(Reason.UNREADABLE_PEM),
    /** Valid PEM of the wrong kind, such as a key where a certificate belongs. */
    WRONG_CONTENT(Reason.UNREADABLE_PEM),
    /** The private key is encrypted; Relay has no passphrase to open it. */
    ENCRYPTED(Reason.ENCRYPTED_KEY),
    /** The private key does not belong to the certificate beside it. */
    KEY_MISMATCH(Reason.KEY_MISMATCH),
    /** The certificate's key is of a type Go's TLS cannot use, such as Ed448 or DSA. */
    UNSUPPORTED_KEY(Reason.UNSUPPORTED_KEY);

    private final Reason reason;

    MaterialProblem(Reason reason) {
        this.reason = reason;
    }

    /** The reason code a finding about this problem carries. */
    public Reason reason() {
        return reason;
    }
}
