package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.watch.Rotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one check pass: every check's finding and every certificate seen.
 *
 * @param node         the node checked, when known
 * @param target       the Hubble endpoint probed, when one was found
 * @param startedAt    when the pass started
 * @param finishedAt   when the pass finished
 * @param findings     one finding per check, in the order the checks are listed
 * @param certificates every certificate read from disk or presented by the server
 * @param timings      when each check that ran started and ended
 * @param rotations    the rotations seen since the previous pass, which this pass is the
 *                     first to judge; always empty for a single {@code check}
 */
public record CheckReport(Optional<String> node, Optional<ProbeTarget> target, Instant startedAt,
                          Instant finishedAt, List<Finding> findings,
                          List<CertificateFacts> certificates,
                          Map<CheckId, CheckInterval> timings, List<Rotation> rotations) {

    public CheckReport {
        findings = List.copyOf(findings);
        certificates = List.copyOf(certificates);
        timings = Map.copyOf(timings);
        rotations = List.copyOf(rotations);
    }

    /** A report without rotations. */
    public CheckReport(Optional<String> node, Optional<ProbeTarget> target, Instant startedAt,
                       Instant finishedAt, List<Finding> findings,
                       List<CertificateFacts> certificates, Map<CheckId, CheckInterval> timings) {
        this(node, target, startedAt, finishedAt, findings, certificates, timings, List.of());
    }

    /** The same report naming {@code newRotations} as the ones it is the first to judge. */
    public CheckReport withRotations(List<Rotation> newRotations) {
        return new CheckReport(node, target, startedAt, finishedAt, findings, certificates,
                timings, newRotations);
    }

    /** The same report with one more finding, kept in check order. */
    public CheckReport with(Finding finding) {
        List<Finding> more = new ArrayList<>(findings);
        more.add(finding);
        more.sort(Comparator.comparing(Finding::check));
        return new CheckReport(node, target, startedAt, finishedAt, more, certificates,
                timings, rotations);
    }

    /** The worst status of any check. */
    public Status status() {
        return Status.worst(findings.stream().map(Finding::status).toList());
    }

    /** The finding of {@code check}, if the pass produced one. */
    public Optional<Finding> finding(CheckId check) {
        return findings.stream().filter(finding -> finding.check() == check).findFirst();
    }

    /** How long the pass took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
