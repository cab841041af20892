package org.runbooks.workflow;

import org.runbooks.activity.ValidationReport;

import java.util.List;

/**
 * What the {@code status} query returns: one consistent snapshot of a runbook's progress. {@code progress} is the
 * running (or latest) backfill's, null before the first one reports.
 */
public record RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                           int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                           List<ValidationReport> evidence, String reason, Knobs knobs,
                           List<ControlEntry> controls, FailureView failure, BackfillProgress progress) {
}
