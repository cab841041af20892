package org.runbooks.api;

import java.util.List;

/**
 * What the {@code status} query returns: one consistent snapshot of a runbook's progress. {@code progress} is the
 * running (or latest) backfill's, null before the first one reports; {@code throttle} its throttle probe's latest
 * state, null when no backfill with a probe has reported; {@code trouble} the running step's activity that fails
 * and retries because something it needs cannot be reached, null when none does (and in runs before it existed);
 * {@code streams} the latest report of each stream the runbook started, in the order they started;
 * {@code lastSwitch} and {@code lastSwitchBack} the write freeze of the latest switch and switch back (null: none yet,
 * and in runs before they existed), with how long writes were refused.
 */
public record RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                           int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                           List<ValidationReport> evidence, String reason, Knobs knobs,
                           List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                           ThrottleView throttle, StepTrouble trouble, List<StreamView> streams,
                           WriteFreeze lastSwitch, WriteFreeze lastSwitchBack) {

    public RunbookStatus {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    public RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                         int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                         List<ValidationReport> evidence, String reason, Knobs knobs,
                         List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                         ThrottleView throttle, StepTrouble trouble, List<StreamView> streams) {
        this(runbook, state, phase, step, stepsDone, stepsTotal, rowsCopied, gate, audit, evidence, reason, knobs,
                controls, failure, progress, throttle, trouble, streams, null, null);
    }

    public RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                         int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                         List<ValidationReport> evidence, String reason, Knobs knobs,
                         List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                         ThrottleView throttle, StepTrouble trouble) {
        this(runbook, state, phase, step, stepsDone, stepsTotal, rowsCopied, gate, audit, evidence, reason, knobs,
                controls, failure, progress, throttle, trouble, List.of());
    }

    public RunbookStatus(String runbook, RunbookState state, String phase, String step, int stepsDone,
                         int stepsTotal, long rowsCopied, GateView gate, List<GateAuditEntry> audit,
                         List<ValidationReport> evidence, String reason, Knobs knobs,
                         List<ControlEntry> controls, FailureView failure, BackfillProgress progress,
                         ThrottleView throttle) {
        this(runbook, state, phase, step, stepsDone, stepsTotal, rowsCopied, gate, audit, evidence, reason, knobs,
                controls, failure, progress, throttle, null);
    }
}
