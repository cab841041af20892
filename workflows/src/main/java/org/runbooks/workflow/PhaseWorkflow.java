package org.runbooks.workflow;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One phase of a runbook, run as a child workflow with the id {@code <runbook workflow id>/<phase name>}. */
@WorkflowInterface
public interface PhaseWorkflow {

    String TYPE = "RunbookPhase";

    @WorkflowMethod(name = TYPE)
    PhaseResult run(PhaseRequest request);

    /** Sent by the parent runbook when a waiting gate is decided. */
    @SignalMethod(name = "gateVerdict")
    void gateVerdict(GateVerdict verdict);
}
