package org.runbooks.runbook;

import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.Knobs;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;
import org.runbooks.stream.StreamWorkflow;
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
