package org.runbooks.sql;

import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.SqlRun;
import org.runbooks.model.SqlStep;
import org.runbooks.step.StepChanges;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;

/**
 * Runs a sql step: registers its revert (or, for an irreversible step, a compensation that says so), then applies.
 * From {@link StepChanges#STOP_BEFORE_UNDO} on, the revert names its apply and runs only if that apply committed.
 */
public final class SqlRunner implements StepRunner<SqlStep> {

    @Override
    public PhaseResult run(SqlStep s, StepContext context) {
        String key = context.key(s);
        SqlActivities sql = Workflow.newActivityStub(SqlActivities.class, StepOptions.writingStep());
        Long lockTimeout = s.lockTimeout() == null ? null : s.lockTimeout().toMillis();
        SqlRun apply = new SqlRun(key + "/apply", s.connection(), s.apply(), null, lockTimeout);
        String undoes = StepChanges.stopsBeforeUndo() ? apply.idempotencyKey() : null;
        Compensation undo = s.irreversible()
                ? new Compensation.Irreversible(s.id())
                : new Compensation.RevertSql(s.id(),
                        new SqlRun(key + "/revert", s.connection(), s.revert(), undoes, lockTimeout));
        context.tell(PhaseEvent.started(context.phaseName(), s.id(), undo));
        sql.runSql(apply);
        context.tell(PhaseEvent.completed(context.phaseName(), s.id(), 0, null));
        return null;
    }
}
