package org.runbooks.api;

/** Where a runbook stands, as {@code status} and the search attribute {@code RunbookState} show it. */
public enum RunbookState {
    /** Reading and checking the runbook file. Nothing has been touched yet. */
    LOADING,
    /** Steps are running. Watch the phase and step in {@code status}. */
    RUNNING,
    /** An operator paused it: no new chunk, step or phase starts until {@code resume}. {@code status} says who and why. */
    PAUSED,
    /**
     * A step failed after its retries and the runbook says {@code onFailure: pause}: it waits for an operator to
     * retry it, skip it or roll back. {@code status} shows the failure and the exact commands.
     */
    STEP_FAILED,
    /** A gate waits for approvers; {@code status} shows who and the exact command that approves or rejects. */
    AWAITING_APPROVAL,
    /** A gate was rejected or a step failed: compensations run in reverse order. Nothing to do but wait. */
    ROLLING_BACK,
    /** Finished: every completed step was compensated. The result names the reason and the compensation log. */
    ROLLED_BACK,
    /** Finished: every phase completed. */
    COMPLETED,
    /**
     * Finished: the phases of one or more domains were rolled back (the result names them and why); every other
     * phase completed.
     */
    PARTIALLY_ROLLED_BACK
}
