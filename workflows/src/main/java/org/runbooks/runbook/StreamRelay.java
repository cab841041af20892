package org.runbooks.runbook;

import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.FailureView;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.StreamView;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;
import org.runbooks.stream.StreamWorkflow;
import org.runbooks.stream.StreamWorkflowImpl;
import org.slf4j.Logger;

/**
 * What the runbook tells its streams, which run as workflows of their own: the knobs when they change (a pause stops
 * applying), and each backfill into a stream's target as it completes (the stream then applies). A stream that has
 * ended is told nothing. Runbooks without a stream send nothing here, so their histories are unchanged.
 */
final class StreamRelay {

    private static final Logger log = Workflow.getLogger(StreamRelay.class);

    private final Ledger ledger;

    StreamRelay(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The knobs changed: every stream still registered gets them. */
    void knobsChanged(Knobs knobs) {
        for (Compensation.DropStream stream : ledger.saga.streams()) {
            try {
                Workflow.newExternalWorkflowStub(StreamWorkflow.class, stream.workflowId()).knobs(knobs);
            } catch (SignalExternalWorkflowException | io.temporal.failure.ApplicationFailure e) {
                log.info("stream {} has ended; knobs not sent", stream.workflowId());
            }
        }
    }

    /** The operator retries stream {@code step}, which failed for good and waits: it resumes applying. */
    void retry(String step, String by) {
        for (Compensation.DropStream stream : ledger.saga.streams()) {
            if (stream.stepId().equals(step)) {
                try {
                    Workflow.newExternalWorkflowStub(StreamWorkflow.class, stream.workflowId()).retry(by);
                } catch (SignalExternalWorkflowException | io.temporal.failure.ApplicationFailure e) {
                    log.info("stream {} has ended; retry not sent", stream.workflowId());
                }
            }
        }
    }

    /**
     * A stream reported that it failed for good and waits: the runbook shows it as a failed step (unless another
     * failure already waits), whose resolution retries the stream or rolls back. Returns true when the state changed.
     * Guarded by {@link org.runbooks.stream.StreamWorkflowImpl#FAILED_WAITS_CHANGE}: older runs only list it.
     */
    boolean failed(PhaseEvent event, String workflowId) {
        if (!(event instanceof PhaseEvent.StreamReport report) || !StreamView.FAILED.equals(report.stream().state())
                || ledger.failure != null
                || Workflow.getVersion(StreamWorkflowImpl.FAILED_WAITS_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
            return false;
        }
        ledger.failure = FailureView.ofStream(workflowId, report.phase(), report.step(), "stream " + report.step()
                + " stopped applying: " + report.stream().detail() + ". Fix the cause (for a schema change, the"
                + " target's table), then retry: it resumes from its committed position; or roll back");
        return true;
    }

    /** Step {@code step} completed: the streams that hold their changes for it are told. */
    void stepCompleted(Runbook runbook, String step) {
        if (runbook == null) {
            return;
        }
        for (Compensation.DropStream stream : ledger.saga.streams()) {
            StreamStep streamStep = streamStep(runbook, stream.stepId());
            if (streamStep != null && streamStep.awaitsCopies().contains(step)) {
                try {
                    Workflow.newExternalWorkflowStub(StreamWorkflow.class, stream.workflowId()).copied(step);
                } catch (SignalExternalWorkflowException | io.temporal.failure.ApplicationFailure e) {
                    log.info("stream {} has ended; not told that {} completed", stream.workflowId(), step);
                }
            }
        }
    }

    private static StreamStep streamStep(Runbook runbook, String id) {
        for (Phase p : runbook.phases()) {
            for (Step s : p.steps()) {
                if (s instanceof StreamStep stream && stream.id().equals(id)) {
                    return stream;
                }
            }
        }
        return null;
    }
}
