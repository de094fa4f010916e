package dev.hubbletls.agent.http;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.watch.Rotation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The page at {@code /} for a person with {@code kubectl port-forward}: one line per
 * check, then each certificate with a bar of the time it has left. Every piece of text
 * from a report is escaped; the page has no scripts.
 */
final class StatusPage {

    private static final String STYLE = "body{font:14px sans-serif;margin:1.5em}"
            + "td{padding:2px 8px;vertical-align:top}.ok{color:#176d2c}.warn{color:#8a5a00}"
            + ".critical,.error{color:#b00020;font-weight:bold}meter{width:12em}";

    private StatusPage() {
    }

    static String render(Optional<CheckReport> report, Optional<Instant> nextPassAt,
                         List<Rotation> rotations, ExpiryThresholds thresholds,
                         Instant now) {
        StringBuilder page = new StringBuilder(4096);
        page.append("<!doctype html><html><head><meta charset=\"utf-8\">")
                .append("<title>hubble-tls-agent</title><style>").append(STYLE)
                .append("</style></head><body>");
        report.ifPresentOrElse(finished -> body(page, finished, thresholds, now),
                () -> page.append("<h1>Hubble TLS</h1><p>The first check pass has not"
                        + " finished yet.</p>"));
        nextPassAt.ifPresent(next -> page.append("<p>Next pass about ")
                .append(time(next)).append(".</p>"));
        rotations(page, rotations);
        return page.append("</body></html>\n").toString();
    }

    private static void body(StringBuilder page, CheckReport report,
                             ExpiryThresholds thresholds, Instant now) {
        page.append("<h1>Hubble TLS: ")
                .append(Html.escape(report.node().map(node -> "node " + node).orElse("no node")))
                .append(" is <span class=\"").append(report.status().label()).append("\">")
                .append(report.status().label()).append("</span></h1><p>");
        report.target().ifPresent(target -> page.append("Probed ")
                .append(Html.escape(target.address())).append(" as ")
                .append(Html.escape(target.serverName())).append(". "));
        page.append("Pass finished ").append(time(report.finishedAt())).append(" in ")
                .append(report.duration().toMillis()).append(" ms.</p><table>");
        report.findings().forEach(finding -> page.append(check(finding)));
        page.append("</table>");
        if (!report.certificates().isEmpty()) {
            page.append("<h2>Certificates</h2><table>");
            report.certificates().forEach(facts ->
                    page.append(certificate(facts, thresholds, now)));
            page.append("</table>");
        }
    }

    private static String check(Finding finding) {
        String reason = finding.reason() == Reason.OK ? "" : "[" + finding.reason() + "] ";
        return "<tr><td class=\"" + finding.status().label() + "\">"
                + finding.status().label() + "</td><td>" + Html.escape(finding.check().id())
                + "</td><td>" + Html.escape(reason + finding.message()) + "</td></tr>";
    }

    // A meter shows the share of the validity period left; its low and high marks are the
    // critical and warning thresholds, so the browser colours it the way the checks judge.
    private static String certificate(CertificateFacts facts, ExpiryThresholds thresholds,
                                      Instant now) {
        long total = Math.max(1, Duration.between(facts.notBefore(), facts.notAfter()).toHours());
        long left = Math.clamp(facts.timeLeft(now).toHours(), 0, total);
        long days = facts.daysLeft(now);
        String leftText = days < 0 ? "expired " + -days + " days ago" : days + " days left";
        return "<tr><td>" + Html.escape(facts.role().label()) + "</td><td>"
                + Html.escape(facts.subject()) + "<br><small>not after "
                + time(facts.notAfter()) + ", " + Html.escape(facts.key()) + "</small></td>"
                + "<td><meter min=\"0\" max=\"" + total + "\" low=\""
                + Math.min(total, thresholds.critical().toHours()) + "\" high=\""
                + Math.min(total, thresholds.warn().toHours()) + "\" optimum=\"" + total
                + "\" value=\"" + left + "\">" + leftText + "</meter> " + leftText
                + "</td></tr>";
    }

    private static void rotations(StringBuilder page, List<Rotation> rotations) {
        if (rotations.isEmpty()) {
            return;
        }
        page.append("<h2>Recent rotations</h2><ul>");
        rotations.forEach(rotation -> page.append("<li>").append(time(rotation.detectedAt()))
                .append(' ').append(Html.escape(rotation.describe())).append("</li>"));
        page.append("</ul>");
    }

    private static String time(Instant instant) {
        return Html.escape(instant.truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
