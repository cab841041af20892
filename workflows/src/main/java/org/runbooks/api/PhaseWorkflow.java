package org.runbooks.api;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One phase of a runbook, run as a child workflow with the id {@code <runbook workflow id>/<phase name>}. */
@WorkflowInterface
public interface PhaseWorkflow {

    String TYPE = "RunbookPhase";

    @WorkflowMethod(name = TYPE)
    PhaseResult run(PhaseRequest request);

    @SignalMethod(name = "gateVerdict", description = "Internal: sent by the parent runbook when a gate is decided.")
    void gateVerdict(GateVerdict verdict);

    @SignalMethod(name = "resolution", description = "Internal: an operator's retry or skip for a failed step.")
    void resolution(StepResolution resolution);

    /** Sent by the parent runbook when an operator pauses, resumes or tunes it. */
    @SignalMethod(name = "knobs", description = "Internal: the parent runbook's pause and tuning settings.")
    void knobs(Knobs knobs);

    /** Sent by this phase's own activities; {@code status} shows the trouble until the step moves on. */
    @SignalMethod(name = "activityTrouble", description = "Internal: sent by this phase's activity when an attempt "
            + "fails because a database or webhook cannot be reached, before Temporal retries it.")
    void activityTrouble(ActivityTrouble trouble);

    /** Sent by this phase's running copy slices, every couple of seconds, once chunks have committed. */
    @SignalMethod(name = "sliceProgress", description = "Internal: sent by this phase's running copy slice with the "
            + "rows its range has committed so far, so status moves before the slice ends.")
    void sliceProgress(SliceProgress progress);
}
