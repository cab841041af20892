package org.runbooks.api;

import java.util.List;

/**
 * Everything a runbook run hands to the next one when it continues as new between phases, so that the new run goes
 * on as if nothing happened: the phase to start with, the runbook as it was loaded (the file is not read again: it
 * may have changed since, and the report must name the text that ran), the idempotency prefix of the first run, the
 * compensations not yet run (with their domains), the gate audit, the evidence, the operator's controls and knobs,
 * and the rollback record. No gate is open and no phase runs at that point, so neither is carried.
 *
 * @param nextPhase index in {@code loaded.runbook().phases()} of the phase the new run starts with
 * @param runKey    workflow id + the first run's id: every activity's idempotency key starts with it, so it must
 *                  not change from run to run
 * @param progress  the latest backfill's progress, so {@code status} and Current Details keep showing it
 * @param reporting the earlier runs' timings for the migration report, and when the runbook started
 * @param throttle  the latest throttle decision of a backfill, so {@code status} keeps showing it
 * @param startedByKey the fingerprint of the key that signed the start; null when the start was not signed
 * @param gateOpenings how many times a gate opened so far: a signed statement names its opening; null (0) in
 *                  carry-overs recorded before signatures
 * @param streams   the latest report of each stream the runbook started; empty in carry-overs recorded before streams
 * @param switchFreezes the write freeze of each switch so far, oldest first (a switch back's is in its compensation
 *                  record); empty in carry-overs recorded before they were kept
 */
public record RunbookCarryOver(int nextPhase, LoadedRunbook loaded, String runKey, RunbookState state, String reason,
                               String phase, String step, int stepsDone, long rowsCopied,
                               List<PendingCompensation> compensations, String startedBy, List<GateAuditEntry> audit,
                               List<ValidationReport> evidence, List<ControlEntry> controls, Knobs knobs,
                               List<String> rolledBackDomains, List<CompensationRecord> compensationLog,
                               FailureView failure, BackfillProgress progress, ReportingCarryOver reporting,
                               ThrottleView throttle, Integer gateOpenings, String startedByKey,
                               List<StreamView> streams, List<WriteFreeze> switchFreezes) {

    public RunbookCarryOver {
        compensations = compensations == null ? List.of() : List.copyOf(compensations);
        audit = audit == null ? List.of() : List.copyOf(audit);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        controls = controls == null ? List.of() : List.copyOf(controls);
        rolledBackDomains = rolledBackDomains == null ? List.of() : List.copyOf(rolledBackDomains);
        compensationLog = compensationLog == null ? List.of() : List.copyOf(compensationLog);
        knobs = knobs == null ? Knobs.initial() : knobs;
        streams = streams == null ? List.of() : List.copyOf(streams);
        switchFreezes = switchFreezes == null ? List.of() : List.copyOf(switchFreezes);
    }
}
