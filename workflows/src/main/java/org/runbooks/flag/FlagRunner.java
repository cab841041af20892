package org.runbooks.flag;

import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.model.FlagStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;

/** Runs a flag step: registers the restore of the flag's old value, then sets it. */
public final class FlagRunner implements StepRunner<FlagStep> {

    @Override
    public PhaseResult run(FlagStep f, StepContext context) {
        String key = context.key(f);
        FlagActivities flags = Workflow.newActivityStub(FlagActivities.class, StepOptions.writingStep());
        String runKey = context.request().runKey();
        context.tell(PhaseEvent.started(context.phaseName(), f.id(), new Compensation.RestoreFlag(f.id(),
                new FlagRestore(key, f.connection(), f.name(), runKey))));
        flags.setFlag(new FlagChange(key, f.connection(), f.name(), f.percent(), runKey));
        context.tell(PhaseEvent.completed(context.phaseName(), f.id(), 0, null));
        return null;
    }
}
