package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.Reason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Judges one certificate's validity period against the node's clock and the expiry
 * thresholds, always writing the time now beside the time on the certificate.
 */
final class ExpiryRule {

    private final Clock clock;
    private final ExpiryThresholds thresholds;

    ExpiryRule(Clock clock, ExpiryThresholds thresholds) {
        this.clock = clock;
        this.thresholds = thresholds;
    }

    Instant now() {
        return clock.instant();
    }

    /** Whether the certificate is inside its validity period now, as Go decides it. */
    boolean current(X509Certificate certificate) {
        Instant now = now();
        return !now.isBefore(notBefore(certificate)) && !now.isAfter(notAfter(certificate));
    }

    boolean expired(X509Certificate certificate) {
        return now().isAfter(notAfter(certificate));
    }

    /** Whether the certificate has more time left than the warning threshold. */
    boolean outlastsWarning(X509Certificate certificate) {
        return timeLeft(certificate).compareTo(thresholds.warn()) >= 0;
    }

    /**
     * The concern about a certificate's dates, if any.
     *
     * @param name    how the message names it, for example {@code Server certificate CN=x}
     * @param renewal what to do once it must be renewed
     * @param ca      whether it is a CA, which selects the CA reason codes
     */
    Optional<Concern> judge(X509Certificate certificate, String name, String renewal,
                            boolean ca) {
        String clockText = "node clock " + TimeText.at(now());
        Instant notAfter = notAfter(certificate);
        if (now().isBefore(notBefore(certificate))) {
            return Optional.of(Concern.critical(Reason.CERT_NOT_YET_VALID, name
                    + " is not valid before " + TimeText.at(notBefore(certificate))
                    + ", but this node's " + clockText + " is "
                    + TimeText.span(Duration.between(now(), notBefore(certificate)))
                    + " earlier: Go refuses it until then; check time synchronisation (NTP,"
                    + " chrony) on this node and on the machine that issued it."));
        }
        if (expired(certificate)) {
            return Optional.of(Concern.critical(ca ? Reason.CA_EXPIRED : Reason.CERT_EXPIRED,
                    name + " expired " + TimeText.at(notAfter) + " ("
                            + TimeText.span(timeLeft(certificate)) + " ago, " + clockText
                            + "): " + renewal));
        }
        return expiring(certificate, name, clockText, renewal, ca);
    }

    private Optional<Concern> expiring(X509Certificate certificate, String name,
                                       String clockText, String renewal, boolean ca) {
        Duration left = timeLeft(certificate);
        if (left.compareTo(thresholds.warn()) >= 0) {
            return Optional.empty();
        }
        boolean critical = left.compareTo(thresholds.critical()) < 0;
        String text = name + " expires " + TimeText.at(notAfter(certificate)) + " ("
                + TimeText.span(left) + " left, " + clockText + "), within the "
                + (critical ? "critical" : "warning") + " threshold (warning at "
                + TimeText.span(thresholds.warn()) + ", critical at "
                + TimeText.span(thresholds.critical()) + "): " + renewal;
        Reason reason = ca ? Reason.CA_EXPIRING : Reason.CERT_EXPIRING;
        return Optional.of(critical ? Concern.critical(reason, text) : Concern.warn(reason, text));
    }

    private Duration timeLeft(X509Certificate certificate) {
        return Duration.between(now(), notAfter(certificate));
    }

    private static Instant notBefore(X509Certificate certificate) {
        return certificate.getNotBefore().toInstant();
    }

    private static Instant notAfter(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant();
    }
}
