package org.runbooks.runbook;

import org.runbooks.gate.ApprovalStatement;
import org.runbooks.model.Runbook;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.BackfillProgress;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.FailureView;
import org.runbooks.api.Knobs;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.ReportingCarryOver;
import org.runbooks.api.RunbookCarryOver;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepResolution;
import org.runbooks.api.StepTrouble;
import org.runbooks.api.ThrottleView;
import org.runbooks.api.Tune;
import org.runbooks.api.ValidationReport;
import org.runbooks.api.WriteFreeze;
import org.runbooks.saga.Saga;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a runbook knows about where it stands, in one place: the state, phase and step, the counts, the
 * evidence, the gate book, the pending compensations, the operator's controls and knobs, failures and rollbacks.
 * Status, result and the continue-as-new carry-over are all derived from it, and a continued run starts from the
 * carry-over ({@link #restore}); {@link RunbookCarryOver} is its JSON form, with the field names histories hold.
 * Pure state: the workflow supplies the time and issues every command.
 */
final class Ledger {

    final GateBook gates = new GateBook();
    final Saga saga = new Saga();
    final List<ValidationReport> evidence = new ArrayList<>();
    final List<ControlEntry> controls = new ArrayList<>();
    /** The latest report of each stream, by step id, in the order they started. */
    final java.util.Map<String, org.runbooks.api.StreamView> streams = new java.util.LinkedHashMap<>();
    final List<CompensationRecord> compensationLog = new ArrayList<>();
    /** The write freeze of each switch, oldest first; a switch back's travels in its compensation record. */
    final List<WriteFreeze> switchFreezes = new ArrayList<>();
    final List<String> rolledBackDomains = new ArrayList<>();
    RunbookState state = RunbookState.LOADING;
    String phase;
    String step;
    int stepsDone;
    long rowsCopied;
    String reason;
    Knobs knobs = Knobs.initial();
    FailureView failure;
    BackfillProgress progress;
    ThrottleView throttle;
    /**
     * Rows the running backfill has committed, as its latest progress report says; 0 between copies. Status adds
     * them to the rows of completed steps, so its count moves while a copy runs and stays while it is paused.
     */
    long copyingRows;
    /** The running step's trouble; any other event of its phase, or the phase's end, clears it. */
    StepTrouble trouble;
    /** The runbook as loaded, with the approvers' keys the gates and the controls check signatures against. */
    private Runbook runbook;

    /** The runbook as loaded: its controls, and the approvers' keys. */
    void loaded(LoadedRunbook loaded) {
        runbook = loaded.runbook();
        gates.keys(loaded.approvals());
    }

    Runbook runbook() {
        return runbook;
    }

    /** Takes back what the previous run carried over. */
    void restore(RunbookCarryOver carried) {
        reason = carried.reason();
        phase = carried.phase();
        step = carried.step();
        stepsDone = carried.stepsDone();
        rowsCopied = carried.rowsCopied();
        saga.restore(carried.compensations());
        gates.startedBy(carried.startedBy());
        gates.startedByKey(carried.startedByKey());
        gates.restore(carried.audit(), carried.gateOpenings() == null ? 0 : carried.gateOpenings());
        evidence.addAll(carried.evidence());
        controls.addAll(carried.controls());
        knobs = carried.knobs();
        rolledBackDomains.addAll(carried.rolledBackDomains());
        compensationLog.addAll(carried.compensationLog());
        failure = carried.failure();
        progress = carried.progress();
        throttle = carried.throttle();
        carried.streams().forEach(v -> streams.put(v.step(), v));
        switchFreezes.addAll(carried.switchFreezes());
    }

    /** What the next run starts from, beginning with phase {@code nextPhase}. */
    RunbookCarryOver carryOver(int nextPhase, LoadedRunbook loaded, String runKey, ReportingCarryOver reporting) {
        return new RunbookCarryOver(nextPhase, loaded, runKey, state, reason, phase, step, stepsDone, rowsCopied,
                saga.pending(), gates.startedBy(), gates.audit(), evidence, controls, knobs, rolledBackDomains,
                compensationLog, failure, progress, reporting, throttle, gates.openings(), gates.startedByKey(),
                List.copyOf(streams.values()), switchFreezes);
    }

    RunbookStatus status(String runbook, int stepsTotal, String workflowId) {
        return new RunbookStatus(runbook, state, phase, step, stepsDone, stepsTotal, rowsCopied + copyingRows,
                gates.view(workflowId), gates.audit(), List.copyOf(evidence), reason, knobs, List.copyOf(controls),
                failure, progress, throttle, trouble, List.copyOf(streams.values()),
                switchFreezes.isEmpty() ? null : switchFreezes.get(switchFreezes.size() - 1),
                switchBackFreezes().isEmpty() ? null : switchBackFreezes().get(switchBackFreezes().size() - 1));
    }

    /** Every write freeze of a switch or a switch back so far, in the order they ended. */
    List<WriteFreeze> freezes() {
        List<WriteFreeze> all = new ArrayList<>(switchFreezes);
        all.addAll(switchBackFreezes());
        all.sort(java.util.Comparator.comparing(WriteFreeze::at));
        return all;
    }

    private List<WriteFreeze> switchBackFreezes() {
        return compensationLog.stream().map(CompensationRecord::freeze).filter(java.util.Objects::nonNull).toList();
    }

    RunbookResult result(String runbook, LoadedRunbook loaded) {
        return new RunbookResult(runbook, loaded.file(), loaded.sha256(), state, reason, rowsCopied,
                List.copyOf(evidence), gates.audit(), List.copyOf(compensationLog), List.copyOf(rolledBackDomains));
    }

    /**
     * Books what a phase tells; {@code domain} is the phase's domain (null: none), {@code at} the time. Returns true
     * when the runbook's state may have changed (a step failed, a gate opened or its timeout let it go on).
     */
    boolean record(PhaseEvent event, String domain, String workflowId, String at) {
        if (event instanceof PhaseEvent.StreamReport report) {
            // A stream outlives its phase: its reports change neither the step shown nor the trouble of the one running.
            streams.put(report.step(), report.stream().ended());
            return false;
        }
        step = event.step();
        trouble = event instanceof PhaseEvent.Trouble t ? t.trouble() : null;
        switch (event) {
            case PhaseEvent.StepStarted e -> {
                if (e.compensation() != null) {
                    saga.register(e.compensation(), domain);
                }
            }
            case PhaseEvent.StepCompleted e -> {
                stepsDone++;
                if (e.freeze() != null) {
                    switchFreezes.add(e.freeze());
                }
                rowsCopied += e.rowsCopied();
                copyingRows = 0;
                if (e.evidence() != null) {
                    evidence.add(e.evidence());
                    gates.evidenceChanged(ApprovalStatement.evidenceDigest(evidence), at);
                }
            }
            case PhaseEvent.Evidence e -> {
                evidence.add(e.evidence());
                gates.evidenceChanged(ApprovalStatement.evidenceDigest(evidence), at);
            }
            case PhaseEvent.Progress e -> {
                progress = e.progress();
                copyingRows = progress.rowsDone();
            }
            case PhaseEvent.Throttle e -> throttle = e.throttle();
            case PhaseEvent.StepFailed e -> {
                failure = signedSkip(FailureView.of(workflowId, e.phase(), e.step(), e.detail()), workflowId);
                return true;
            }
            case PhaseEvent.GateTimedOut e -> {
                gates.timedOut(e.step(), e.proceeds(), e.verdict(), at);
                if (e.proceeds()) {
                    gates.close();
                    return true;
                }
            }
            case PhaseEvent.GateOpened e -> {
                gates.open(e.phase(), e.gate(), ApprovalStatement.evidenceDigest(evidence));
                return true;
            }
            case PhaseEvent.Trouble e -> {
            }
            case PhaseEvent.StreamReport e -> {
            }
        }
        return false;
    }

    /** The state of a runbook that is neither loading nor finished: a failed step, then a pause, then a gate. */
    RunbookState activeState() {
        if (failure != null) {
            return RunbookState.STEP_FAILED;
        }
        if (knobs.paused()) {
            return RunbookState.PAUSED;
        }
        return gates.isWaiting() ? RunbookState.AWAITING_APPROVAL : RunbookState.RUNNING;
    }

    boolean ended() {
        return state == RunbookState.COMPLETED || state == RunbookState.ROLLED_BACK
                || state == RunbookState.PARTIALLY_ROLLED_BACK;
    }

    /** Adds {@code line} to the reason the runbook gives, after {@code joiner} when it already has one. */
    void because(String line, String joiner) {
        reason = reason == null ? line : reason + joiner + line;
    }

    void control(String command, String by, String detail, String at, String key) {
        controls.add(new ControlEntry(command, by, detail, at, key));
    }

    /** The failure with the statement its skip must be signed over, when the runbook's controls say so. */
    private FailureView signedSkip(FailureView failed, String workflowId) {
        boolean signing = ControlAuthority.signing(runbook, gates.keys());
        List<String> skippers = runbook == null ? null : runbook.controls().principals("skip", runbook, signing);
        if (skippers == null || !signing) {
            return failed;
        }
        return failed.withSignedSkip(ControlAuthority.statement(workflowId, "skip", failed.step(), controls), skippers);
    }

    /** The verdict of the latest validation, which the next phase's proceed-if-validated gates need; null if none. */
    Boolean lastValidationPassed() {
        return evidence.isEmpty() ? null : evidence.get(evidence.size() - 1).passed();
    }

    /** Why a resolution cannot be taken, or null when it answers the failed step. */
    String resolutionRefusal(StepResolution resolution) {
        if (resolution == null || resolution.by() == null || resolution.by().isBlank() || resolution.step() == null) {
            return "a resolution names the step, the action and who decides";
        }
        if (failure == null) {
            return "no failed step is waiting";
        }
        if (!failure.step().equals(resolution.step())) {
            return "step '" + resolution.step() + "' is not waiting; the failed step is '" + failure.step() + "'";
        }
        if (!StepResolution.ACTIONS.contains(resolution.action())) {
            return "action must be one of " + StepResolution.ACTIONS + ", not '" + resolution.action() + "'";
        }
        if (streams.containsKey(resolution.step()) && resolution.action().equals("skip")) {
            return "a stream cannot be skipped: retry it once the cause is fixed, or roll back";
        }
        return null;
    }

    /** Why a tune cannot be taken now (nothing to change, a value out of bounds, nothing left to tune), or null. */
    String tuneRefusal(Tune tune) {
        if (tune == null || (tune.chunkRows() == null && tune.rowsPerSecond() == null && tune.parallelism() == null)) {
            return "give chunkRows, rowsPerSecond and/or parallelism: {\"by\": ..., \"chunkRows\": 5000}";
        }
        if (tune.boundsProblem() != null) {
            return tune.boundsProblem();
        }
        if (ended() || state == RunbookState.ROLLING_BACK) {
            return "the runbook is " + state + "; there is nothing left to tune";
        }
        return null;
    }
}
