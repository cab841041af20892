package org.runbooks.report;

import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseTiming;
import org.runbooks.api.RollbackTiming;
import org.runbooks.api.ValidationReport;

import java.util.List;

/**
 * What a runbook did, kept when it ends: what ran and when, the validation evidence, every gate decision (the
 * sign-offs, refused attempts included), the operator controls (pause, resume, tune, rollback) and the knobs in force
 * at the end, the rollbacks and their compensation log, and the outcome. The workflow assembles it from what it
 * recorded; the report activity only renders it.
 *
 * @param outcome COMPLETED, ROLLED_BACK or PARTIALLY_ROLLED_BACK
 * @param millis  from the runbook's start to its end, in workflow time
 * @param freezes every switch's and switch back's write freeze, in the order they ended
 */
public record MigrationReport(String workflowId, String runId, String runbook, String owner, String description,
                              String file, String sha256, String startedBy, String outcome, String reason,
                              String startedAt, String endedAt, long millis, long rowsCopied,
                              List<PhaseTiming> phases, List<ValidationReport> evidence, List<GateAuditEntry> gates,
                              List<ControlEntry> controls, Knobs knobs, List<RollbackTiming> rollbacks,
                              List<CompensationRecord> compensations, List<String> rolledBackDomains,
                              List<org.runbooks.api.StreamView> streams,
                              List<org.runbooks.api.WriteFreeze> freezes) {

    /** A report without write freezes (no switch ran, or it was recorded before they were reported). */
    public MigrationReport(String workflowId, String runId, String runbook, String owner, String description,
                           String file, String sha256, String startedBy, String outcome, String reason,
                           String startedAt, String endedAt, long millis, long rowsCopied,
                           List<PhaseTiming> phases, List<ValidationReport> evidence, List<GateAuditEntry> gates,
                           List<ControlEntry> controls, Knobs knobs, List<RollbackTiming> rollbacks,
                           List<CompensationRecord> compensations, List<String> rolledBackDomains,
                           List<org.runbooks.api.StreamView> streams) {
        this(workflowId, runId, runbook, owner, description, file, sha256, startedBy, outcome, reason, startedAt,
                endedAt, millis, rowsCopied, phases, evidence, gates, controls, knobs, rollbacks, compensations,
                rolledBackDomains, streams, List.of());
    }

    /** A report of a runbook without streams. */
    public MigrationReport(String workflowId, String runId, String runbook, String owner, String description,
                           String file, String sha256, String startedBy, String outcome, String reason,
                           String startedAt, String endedAt, long millis, long rowsCopied,
                           List<PhaseTiming> phases, List<ValidationReport> evidence, List<GateAuditEntry> gates,
                           List<ControlEntry> controls, Knobs knobs, List<RollbackTiming> rollbacks,
                           List<CompensationRecord> compensations, List<String> rolledBackDomains) {
        this(workflowId, runId, runbook, owner, description, file, sha256, startedBy, outcome, reason, startedAt,
                endedAt, millis, rowsCopied, phases, evidence, gates, controls, knobs, rollbacks, compensations,
                rolledBackDomains, List.of());
    }

    public MigrationReport {
        streams = copy(streams);
        freezes = copy(freezes);
        phases = copy(phases);
        evidence = copy(evidence);
        gates = copy(gates);
        controls = copy(controls);
        rollbacks = copy(rollbacks);
        compensations = copy(compensations);
        rolledBackDomains = copy(rolledBackDomains);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
