package org.runbooks.api;

import java.util.List;

/**
 * What the migration report needs from the runs before a continue-as-new: when the runbook started, and the timings
 * of the phases and rollbacks those runs finished (no phase runs at a hand-over, so each of them has ended).
 */
public record ReportingCarryOver(long startedAt, List<PhaseTiming> phases, List<RollbackTiming> rollbacks) {

    public ReportingCarryOver {
        phases = phases == null ? List.of() : List.copyOf(phases);
        rollbacks = rollbacks == null ? List.of() : List.copyOf(rollbacks);
    }
}
