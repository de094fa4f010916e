package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateInspector;
import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.MaterialException;
import dev.hubbletls.agent.tls.PemReader;
import dev.hubbletls.agent.tls.ServerTlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checks that read the Hubble server's own files: whether its client CA bundle accepts
 * the relay ({@code server-client-ca}), and whether it presents the certificate on disk
 * ({@code server-reload}). Remembers from pass to pass when the certificate on disk
 * changed, so that the time the server takes to switch to it can be measured and bounded.
 */
final class ServerFilesCheck {

    /** How long the server may keep presenting its previous certificate after the file changed. */
    static final Duration DEFAULT_RELOAD_BOUND = Duration.ofMinutes(2);

    private final ServerTlsFiles files;
    private final CertificateInspector inspector;
    private final Clock clock;
    private final Duration reloadBound;

    /** Reload state, guarded by {@code this}: the fingerprint on disk at the last pass. */
    private String diskSha256;
    /** When that fingerprint was last seen on disk. */
    private Instant diskSeenAt;
    /** The best estimate of when the file changed to that fingerprint. */
    private Instant changedAt;
    /** Whether the server was seen presenting another certificate since. */
    private boolean mismatchSeen;
    /** How long the server took to switch, once it did after a mismatch was seen. */
    private Duration reloadLag;

    ServerFilesCheck(ServerTlsFiles files, CertificateInspector inspector, Clock clock,
                     Duration reloadBound) {
        this.files = files;
        this.inspector = inspector;
        this.clock = clock;
        this.reloadBound = reloadBound;
    }

    /** Both findings, in check order, given the relay's material and the presented chain. */
    List<Finding> judge(ClientMaterial material, List<X509Certificate> presented) {
        return List.of(inspector.inspectServerClientCa(material, files), reload(presented));
    }

    private synchronized Finding reload(List<X509Certificate> presented) {
        Instant now = clock.instant();
        X509Certificate disk;
        try {
            disk = PemReader.certificates(files.certificate()).get(0);
        } catch (MaterialException e) {
            return Finding.of(CheckId.SERVER_RELOAD, Status.ERROR, e.reason(), e.getMessage()
                    + " (the server certificate, from hubble-server-certs' tls.crt)")
                    .with("file", files.certificate().toString());
        }
        noteDisk(CertificateFacts.fingerprint(disk), now);
        if (presented.isEmpty()) {
            return Finding.of(CheckId.SERVER_RELOAD, Status.ERROR, Reason.SKIPPED, "not judged:"
                    + " the server presented no certificate, see mtls-handshake")
                    .with("file", files.certificate().toString());
        }
        X509Certificate served = presented.get(0);
        Map<String, String> details = details(disk, served, now);
        if (diskSha256.equals(CertificateFacts.fingerprint(served))) {
            return switched(disk, details, now);
        }
        if (served.getNotBefore().after(disk.getNotBefore())) {
            return aheadOfDisk(disk, served, details);
        }
        mismatchSeen = true;
        Duration elapsed = Duration.between(changedAt, now);
        return elapsed.compareTo(reloadBound) < 0
                ? pending(disk, served, elapsed, details)
                : notReloaded(disk, served, elapsed, details);
    }

    private void noteDisk(String sha256, Instant now) {
        if (!sha256.equals(diskSha256)) {
            changedAt = changeTime(now);
            diskSha256 = sha256;
            mismatchSeen = false;
            reloadLag = null;
        }
        diskSeenAt = now;
    }

    // The modification time says when kubelet wrote the file. The last moment the previous
    // content was seen bounds it from below, against a copy that kept an old time.
    private Instant changeTime(Instant now) {
        Instant modified = lastModified(files.certificate()).filter(now::isAfter).orElse(now);
        return diskSeenAt != null && diskSeenAt.isAfter(modified) ? diskSeenAt : modified;
    }

    private Finding switched(X509Certificate disk, Map<String, String> details, Instant now) {
        if (mismatchSeen && reloadLag == null) {
            reloadLag = Duration.between(changedAt, now);
        }
        String lag = "";
        if (reloadLag != null) {
            details.put("reloadLagMillis", String.valueOf(reloadLag.toMillis()));
            lag = "; it switched to it " + seconds(reloadLag) + " after the file changed";
        }
        return new Finding(CheckId.SERVER_RELOAD, Status.OK, Reason.OK, "The server presents"
                + " the certificate in " + files.certificate() + " (" + name(disk) + ")" + lag
                + ".", details);
    }

    private Finding aheadOfDisk(X509Certificate disk, X509Certificate served,
                                Map<String, String> details) {
        return new Finding(CheckId.SERVER_RELOAD, Status.OK, Reason.OK, "The server presents"
                + " a newer certificate (" + name(served) + ", not before "
                + served.getNotBefore().toInstant() + ") than " + files.certificate() + " ("
                + name(disk) + ", not before " + disk.getNotBefore().toInstant() + "): this"
                + " agent's copy of hubble-server-certs is not updated yet; kubelet updates"
                + " it within about a minute.", details);
    }

    private Finding pending(X509Certificate disk, X509Certificate served, Duration elapsed,
                            Map<String, String> details) {
        return new Finding(CheckId.SERVER_RELOAD, Status.OK, Reason.SERVER_RELOAD_PENDING,
                files.certificate() + " changed to " + name(disk) + " " + seconds(elapsed)
                        + " ago; the server still presents " + name(served) + ". Cilium"
                        + " reloads its files within about 5 s once kubelet has updated its"
                        + " volume; the agent probes again until " + seconds(reloadBound)
                        + " have passed.", details);
    }

    private Finding notReloaded(X509Certificate disk, X509Certificate served, Duration elapsed,
                                Map<String, String> details) {
        return new Finding(CheckId.SERVER_RELOAD, Status.CRITICAL, Reason.SERVER_NOT_RELOADED,
                "The server still presents " + name(served) + " (SHA-256 "
                        + CertificateFacts.fingerprint(served) + ") " + seconds(elapsed)
                        + " after " + files.certificate() + " changed to " + name(disk)
                        + " (SHA-256 " + diskSha256 + "), past the bound of "
                        + seconds(reloadBound) + ": Cilium has not picked up the new"
                        + " hubble-server-certs. Look for TLS reload errors in the cilium-agent"
                        + " log of this node and check that its hubble-server-certs volume was"
                        + " updated; restarting that cilium pod loads the new certificate.",
                details);
    }

    private Map<String, String> details(X509Certificate disk, X509Certificate served,
                                        Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("file", files.certificate().toString());
        details.put("diskSerial", disk.getSerialNumber().toString(16));
        details.put("diskSha256", diskSha256);
        details.put("presentedSerial", served.getSerialNumber().toString(16));
        details.put("presentedSha256", CertificateFacts.fingerprint(served));
        details.put("fileChangedAt", changedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        details.put("elapsedMillis", String.valueOf(Duration.between(changedAt, now)
                .toMillis()));
        details.put("reloadBound", reloadBound.toString());
        return details;
    }

    private static Optional<Instant> lastModified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String name(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " serial "
                + certificate.getSerialNumber().toString(16);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
