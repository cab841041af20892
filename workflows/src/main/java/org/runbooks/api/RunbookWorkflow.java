package org.runbooks.api;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One runbook, start to end. Operators talk to this workflow only: its id is the runbook run's id, and every phase
 * runs as a child of it.
 */
@WorkflowInterface
public interface RunbookWorkflow {

    /** The workflow type operators start: {@code temporal workflow start --type Runbook}. */
    String TYPE = "Runbook";

    @WorkflowMethod(name = TYPE)
    RunbookResult run(RunbookRequest request);

    @SignalMethod(name = "approve", description = "Approve the waiting gate. Input: "
            + "{\"gate\": \"<gate id>\", \"by\": \"<one of the gate's approvers>\", \"comment\": \"<why>\"}. "
            + "A wrong gate or approver is refused and recorded in the audit trail.")
    void approve(GateDecision decision);

    @SignalMethod(name = "reject", description = "Reject the waiting gate; the runbook rolls back. Input: "
            + "{\"gate\": \"<gate id>\", \"by\": \"<one of the gate's approvers>\", \"comment\": \"<why>\"}.")
    void reject(GateDecision decision);

    @UpdateMethod(name = "approveGate", description = "Approve the waiting gate and get the decision back at once; "
            + "a wrong gate, an unknown approver or a gate that is not waiting is refused with the reason (the update "
            + "fails with type GateDecisionRefused) and recorded in the audit trail, as is input without a gate or an "
            + "approver.")
    GateAuditEntry approveGate(GateDecision decision);

    @UpdateValidatorMethod(updateName = "approveGate")
    void validateApproveGate(GateDecision decision);

    @UpdateMethod(name = "rejectGate", description = "Reject the waiting gate and get the decision back at once; "
            + "the runbook rolls back. Refused with the reason like approveGate.")
    GateAuditEntry rejectGate(GateDecision decision);

    @UpdateValidatorMethod(updateName = "rejectGate")
    void validateRejectGate(GateDecision decision);

    @SignalMethod(name = "rollback", description = "Stop wherever the runbook is and roll back everything completed, "
            + "last first. Input: {\"by\": \"<who>\", \"reason\": \"<why>\"}.")
    void rollback(RollbackRequest request);

    @SignalMethod(name = "pause", description = "Pause at the next chunk boundary: running copy slices stop after the "
            + "chunk they are writing, and no slice, step or phase starts until resume. Input: {\"by\": \"<who>\", \"reason\": \"<why>\"}.")
    void pause(PauseRequest request);

    @SignalMethod(name = "resume", description = "Resume a paused runbook. Input: {\"by\": \"<who>\"}.")
    void resume(PauseRequest request);

    @UpdateMethod(name = "tune", description = "Change the chunk size, the rows-per-second limit (0: none) and/or the "
            + "parallelism (1 to 32 slices at once) of the next copy slices; returns every knob now in force. Input: "
            + "{\"by\": \"<who>\", \"chunkRows\": 5000, \"rowsPerSecond\": 20000, \"parallelism\": 4}.")
    Knobs tune(Tune tune);

    @UpdateValidatorMethod(updateName = "tune")
    void validateTune(Tune tune);

    @SignalMethod(name = "resolveFailure", description = "Answer a step that failed and paused (onFailure: pause). "
            + "Input: {\"step\": \"<step id>\", \"action\": \"retry|skip|rollback\", \"by\": \"<who>\", "
            + "\"reason\": \"<why>\"}. status shows the failed step and the exact commands.")
    void resolveFailure(StepResolution resolution);

    @SignalMethod(name = "phaseEvent", description = "Internal: sent by the runbook's own phases. Do not send it.")
    void phaseEvent(PhaseEvent event);

    @QueryMethod(name = "status", description = "Phase, step, rows copied, evidence, the waiting gate with the "
            + "commands that decide it, and the audit trail.")
    RunbookStatus status();

    /**
     * Where the migration report was written; null until the runbook ends, or when it could not be written. A
     * cancelled runbook closes as Canceled with no result, so this is how an operator finds its report.
     */
    @QueryMethod(name = "report", description = "The paths of the migration report (Markdown and JSON) on the worker "
            + "that wrote it; null until the runbook ends. The way to find a cancelled runbook's report.")
    ReportFiles report();
}
