package dev.hubbletls.agent.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A new version of a TLS file appeared: which file, what it held before and now, and when
 * the agent saw it. A file that only vanished is not a rotation.
 *
 * @param file       the visible path of the file
 * @param before     the last version seen before, if the file was ever seen
 * @param after      the new version
 * @param detectedAt when the watcher saw the change settle
 */
public record Rotation(Path file, Optional<FileVersion> before, FileVersion after,
                       Instant detectedAt) {

    public Rotation {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }

    /** The previous certificate's serial, when the file held a certificate before. */
    public Optional<String> oldSerial() {
        return before.flatMap(FileVersion::serial);
    }

    /** The new certificate's serial, when the file holds a certificate. */
    public Optional<String> newSerial() {
        return after.serial();
    }

    /** The new certificate's subject, when the file holds a certificate. */
    public Optional<String> subject() {
        return after.subject();
    }

    /** The new certificate's NotAfter, when the file holds a certificate. */
    public Optional<Instant> notAfter() {
        return after.notAfter();
    }

    /** One line for the log: file, serials or fingerprints, NotAfter; never content. */
    public String describe() {
        if (firstCertificateKept()) {
            // A CA appended to a bundle, or the same certificate written again.
            return file + " changed, its first certificate unchanged (" + label(after) + ")";
        }
        String from = before.map(Rotation::label).orElse("nothing");
        return file + " rotated from " + from + " to " + label(after)
                + after.notAfter().map(notAfter -> ", not after " + notAfter).orElse("");
    }

    private boolean firstCertificateKept() {
        return after.certificateSha256().isPresent() && before.flatMap(
                FileVersion::certificateSha256).equals(after.certificateSha256());
    }

    private static String label(FileVersion version) {
        return version.serial().map(serial -> "serial " + serial)
                .orElse("content sha256 " + version.sha256().substring(0, 16) + "…");
    }
}
