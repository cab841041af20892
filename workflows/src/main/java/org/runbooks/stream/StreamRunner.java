package org.runbooks.stream;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.model.StreamStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;
import org.slf4j.Logger;

/**
 * Runs a stream step: registers the stream's drop, fixes its start position ({@code StreamStart}: the slot and
 * publication on PostgreSQL, the binlog position on MariaDB), then starts the stream's own workflow and lets it go
 * (parent close policy abandon): it outlives this phase. The step completes once the position is fixed, so a
 * backfill after it copies rows no older than the stream's start.
 */
public final class StreamRunner implements StepRunner<StreamStep> {

    private static final Logger log = Workflow.getLogger(StreamRunner.class);

    /** The stream's workflow id: the runbook's, {@code /stream/} and the step id. */
    public static String workflowId(String runbookWorkflowId, String step) {
        return runbookWorkflowId + "/stream/" + step;
    }

    /** The stream of step {@code s} in the run {@code runKey}: its id is the step's idempotency key. */
    public static StreamSpec spec(StreamStep s, String runKey) {
        return new StreamSpec(runKey + "/" + s.id(), s.from().connection(), s.from().table(), s.to().connection(),
                s.to().table(), s.key());
    }

    @Override
    public PhaseResult run(StreamStep s, StepContext context) {
        String runbookWorkflow = runbookWorkflow();
        String workflowId = workflowId(runbookWorkflow, s.id());
        StreamSpec spec = spec(s, context.request().runKey());
        String streamId = spec.streamId();
        context.tell(PhaseEvent.started(context.phaseName(), s.id(),
                new Compensation.DropStream(s.id(), workflowId, streamId, s.from(), s.to(), s.key())));
        StreamActivities streams = Workflow.newActivityStub(StreamActivities.class, StepOptions.shortStep());
        StreamStarted started = streams.startStream(spec);
        log.info("runbook={} stream={} starts at {} ({}){}", context.request().runbook(), s.id(),
                started.startPosition(), started.source(),
                started.warnings() == null || started.warnings().isEmpty() ? ""
                        : "; warnings: " + String.join("; ", started.warnings()));
        launch(s, spec, workflowId, runbookWorkflow, context);
        context.tell(PhaseEvent.completed(context.phaseName(), s.id(), 0, null));
        return null;
    }

    /**
     * Starts stream {@code s}'s own workflow and lets it go (parent close policy abandon), once its start position is
     * fixed; returns when it has started.
     */
    public static void launch(StreamStep s, StreamSpec spec, String workflowId, String runbookWorkflow,
                              StepContext context) {
        StreamWorkflow stream = Workflow.newChildWorkflowStub(StreamWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setStaticSummary("stream " + s.from() + " → " + s.to())
                .build());
        Async.function(stream::run, new StreamRequest(context.request().runbook(), runbookWorkflow,
                context.phaseName(), s.id(), spec, s.awaitsCopies(), null, context.knobs().paused(), null, null));
        Workflow.getWorkflowExecution(stream).get();
    }

    /** The id of the runbook workflow the running phase belongs to. */
    public static String runbookWorkflow() {
        return Workflow.getInfo().getParentWorkflowId()
                .orElseThrow(() -> new IllegalStateException("a phase runs as a runbook's child"));
    }
}
