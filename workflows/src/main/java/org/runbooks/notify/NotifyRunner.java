package org.runbooks.notify;

import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.model.NotifyStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepRunner;

/** Runs a notify step: posts its message; a webhook that stays down never stops the migration. */
public final class NotifyRunner implements StepRunner<NotifyStep> {

    @Override
    public PhaseResult run(NotifyStep n, StepContext context) {
        context.tell(PhaseEvent.started(context.phaseName(), n.id(), null));
        context.notify(context.key(n), n.webhook(), n.id(), n.message());
        context.tell(PhaseEvent.completed(context.phaseName(), n.id(), 0, null));
        return null;
    }
}
