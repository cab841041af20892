package org.runbooks.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

    /** Approve the waiting gate: {@code {"gate": "...", "by": "...", "comment": "..."}}. */
    @SignalMethod(name = "approve")
    void approve(GateDecision decision);

    /** Reject the waiting gate; the runbook rolls back. */
    @SignalMethod(name = "reject")
    void reject(GateDecision decision);

    /** Sent by the runbook's own phases; operators do not send it. */
    @SignalMethod(name = "phaseEvent")
    void phaseEvent(PhaseEvent event);

    @QueryMethod(name = "status")
    RunbookStatus status();
}
