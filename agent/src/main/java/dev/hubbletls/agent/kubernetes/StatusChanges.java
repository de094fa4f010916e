package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers each check's last status and tells which checks changed with a new report. A
 * check seen for the first time counts as changed only when it is not ok, so that a
 * healthy start-up is quiet.
 */
final class StatusChanges {

    private final Map<CheckId, Status> last = new EnumMap<>(CheckId.class);

    /**
     * A check whose status changed.
     *
     * @param before  its status in the previous report, empty the first time
     * @param finding its finding now
     */
    record Change(Optional<Status> before, Finding finding) {
    }

    /** The changes {@code report} brings, in the report's order. */
    synchronized List<Change> next(CheckReport report) {
        List<Change> changes = new ArrayList<>();
        for (Finding finding : report.findings()) {
            Optional<Status> before = Optional.ofNullable(last.put(finding.check(),
                    finding.status()));
            boolean changed = before.map(status -> status != finding.status())
                    .orElse(finding.status() != Status.OK);
            if (changed) {
                changes.add(new Change(before, finding));
            }
        }
        return changes;
    }
}
