package org.runbooks.backfill;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.model.BackfillStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;
import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a backfill step: registers its compensation (remove the copied rows) before the first call, then copies as
 * slices ({@link SliceScheduler}), or, in runs recorded before slices, as one {@code copyTable} activity restarted
 * whenever the knobs change.
 */
public final class BackfillRunner implements StepRunner<BackfillStep> {

    private static final Logger log = Workflow.getLogger(BackfillRunner.class);

    private final BackfillActivities backfill =
            Workflow.newActivityStub(BackfillActivities.class, StepOptions.backfill());

    @Override
    public PhaseResult run(BackfillStep b, StepContext context) {
        String key = context.key(b);
        PhaseCarry resumed = context.resumed();
        if (resumed == null) {
            context.tell(PhaseEvent.started(context.phaseName(), b.id(),
                    new Compensation.RemoveCopiedRows(b.id(), new RemoveCopiedRows(key, b))));
        }
        long copied = context.slices() ? slices(key, b, context, resumed) : copy(key, b, context).rowsCopied();
        context.tell(PhaseEvent.completed(context.phaseName(), b.id(), copied, null));
        return null;
    }

    /** Copies in slices, hearing what the running slices commit while it does. */
    private long slices(String key, BackfillStep b, StepContext context, PhaseCarry resumed) {
        SliceScheduler scheduler = new SliceScheduler(context.request(), key, b, context::knobs, context::tell,
                context::continueDue, copy -> context.continueAsNew(copy, 0, 0));
        context.onSliceProgress(scheduler::committed);
        try {
            return scheduler.run(resumed == null ? null : resumed.copy());
        } finally {
            context.onSliceProgress(null);
        }
    }

    /**
     * Runs the copy with the knobs in force. When they change (a pause, a new chunk size or rate), the running copy is
     * cancelled; it stops after the chunk it is writing, and a new call resumes from the committed checkpoint with
     * the new knobs, once the runbook is not paused.
     */
    private BackfillResult copy(String key, BackfillStep step, StepContext context) {
        while (true) {
            Workflow.await(() -> !context.knobs().paused());
            Knobs used = context.knobs();
            long rate = used.rowsPerSecondFor(step);
            BackfillRequest copy = new BackfillRequest(key, context.request().runbook(), step, used.chunkRows(), rate);
            AtomicReference<Promise<BackfillResult>> running = new AtomicReference<>();
            CancellationScope scope = Workflow.newCancellationScope(
                    () -> running.set(Async.function(backfill::copyTable, copy)));
            scope.run();
            Promise<BackfillResult> done = running.get();
            Workflow.await(() -> done.isCompleted() || context.knobs().version() != used.version());
            if (!done.isCompleted()) {
                log.info("runbook={} phase={} step={} knobs changed; stopping the copy at its next chunk",
                        context.request().runbook(), context.phaseName(), step.id());
                scope.cancel("knobs changed");
            }
            try {
                return done.get();
            } catch (ActivityFailure e) {
                if (!(e.getCause() instanceof CanceledFailure)) {
                    throw e;
                }
            }
        }
    }
}
