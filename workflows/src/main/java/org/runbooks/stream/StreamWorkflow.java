package org.runbooks.stream;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.runbooks.api.Knobs;
import org.runbooks.api.StreamView;

/**
 * One stream of a runbook, as its own workflow ({@code <runbook workflow id>/stream/<step id>}): started by its
 * step's phase and abandoned by it, so it keeps applying through later phases, soaks and gates until the runbook
 * stops it. It holds its changes until the backfills into its target have completed, then applies; it pauses with
 * the runbook; it reports its state and lag to the runbook. Names are explicit: moving this interface changes
 * nothing in history.
 */
@WorkflowInterface
public interface StreamWorkflow {

    String TYPE = "RunbookStream";

    /** Runs the stream until {@link #stop}; returns its last report. */
    @WorkflowMethod(name = TYPE)
    StreamView run(StreamRequest request);

    /**
     * What the stream holds its changes for completed: a backfill {@code step} into its target, or, for a cutover's
     * reverse stream, the thaw of the source it writes into.
     */
    @SignalMethod(name = "copied")
    void copied(String step);

    /** The runbook's knobs changed: a pause stops applying (the source keeps the changes), a resume goes on. */
    @SignalMethod(name = "knobs")
    void knobs(Knobs knobs);

    /** Stops applying for good (a rollback, a cutover, the runbook's end); {@code why} goes into the report. */
    @SignalMethod(name = "stop")
    void stop(String why);

    /**
     * A stream that failed for good (a schema change on its source) waits for this: {@code by} fixed the cause, so
     * applying resumes from the committed position. A stream that has not failed ignores it.
     */
    @SignalMethod(name = "retry")
    void retry(String by);

    /** The stream's state and lag now. */
    @QueryMethod(name = "stream")
    StreamView stream();
}
