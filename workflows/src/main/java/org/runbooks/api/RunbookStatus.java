package org.runbooks.api;

import java.util.List;

/**
 * What the {@code status} query returns: one consistent snapshot of a runbook's progress. {@code progress} is the
 * running (or latest) backfill's, null before the first one reports; {@code throttle} its throttle probe's latest
 * state, null when no backfill with a probe has reported; {@code trouble} the running step's activity that fails
 * and retries because something it needs cannot be reached, null when none does (and in runs before it existed).
 */
public record RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                           int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                           List<ValidationReport> evidence, String reason, Knobs knobs,
                           List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                           ThrottleView throttle, StepTrouble trouble) {

    public RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                         int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                         List<ValidationReport> evidence, String reason, Knobs knobs,
                         List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                         ThrottleView throttle) {
        this(runbook, state, phase, step, stepsDone, stepsTotal, rowsCopied, gate, audit, evidence, reason, knobs,
                controls, failure, progress, throttle, null);
    }
}
