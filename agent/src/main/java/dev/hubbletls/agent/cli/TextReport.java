package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateFacts;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The report as a person reads it in a terminal: one line per check, then certificates. */
public final class TextReport {

    private static final int CHECK_WIDTH = 21;
    private static final int STATUS_WIDTH = 9;

    private TextReport() {
    }

    /** The whole report; days left are counted from {@code now}. */
    public static String render(CheckReport report, Instant now) {
        StringBuilder text = new StringBuilder();
        text.append(heading(report)).append('\n');
        report.findings().forEach(finding -> text.append(line(finding)));
        if (!report.certificates().isEmpty()) {
            text.append("\nCertificates\n");
            report.certificates().forEach(facts -> text.append(certificate(facts, now)));
        }
        text.append("\nResult: ").append(report.status().label())
                .append(" (exit ").append(report.status().exitCode()).append(")")
                .append(", pass took ").append(report.duration().toMillis()).append(" ms\n");
        return text.toString();
    }

    /** Only the checks that are not ok, and a count of the others. */
    public static String problems(CheckReport report) {
        StringBuilder text = new StringBuilder();
        List<Finding> problems = report.findings().stream()
                .filter(finding -> finding.status() != Status.OK)
                .toList();
        problems.forEach(finding -> text.append(line(finding)));
        int ok = report.findings().size() - problems.size();
        text.append("  ").append(ok).append(" other checks ok\n");
        return text.toString();
    }

    private static String heading(CheckReport report) {
        String target = report.target()
                .map(t -> t.address() + " as " + t.serverName())
                .orElse("no Hubble endpoint found");
        return "Hubble TLS check: " + report.node().map(name -> "node " + name + ", ").orElse("")
                + target;
    }

    private static String line(Finding finding) {
        String reason = finding.reason() == Reason.OK ? "" : "[" + finding.reason() + "] ";
        return "  " + pad(finding.status().label(), STATUS_WIDTH)
                + pad(finding.check().id(), CHECK_WIDTH) + reason + finding.message() + '\n';
    }

    private static String certificate(CertificateFacts facts, Instant now) {
        long days = facts.daysLeft(now);
        String left = days < 0 ? "expired " + -days + " days ago" : days + " days left";
        return "  " + pad(facts.role().label(), 14) + facts.subject() + "\n"
                + "  " + " ".repeat(14) + "not after "
                + DateTimeFormatter.ISO_INSTANT.format(facts.notAfter().truncatedTo(ChronoUnit.SECONDS))
                + " (" + left + "), " + facts.key() + ", sha256 "
                + facts.sha256().substring(0, 16).toLowerCase(Locale.ROOT) + "…\n";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
