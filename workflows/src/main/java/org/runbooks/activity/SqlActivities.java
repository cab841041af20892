package org.runbooks.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs a runbook's own SQL (an {@code apply} or its {@code revert}). */
@ActivityInterface
public interface SqlActivities {

    /**
     * Runs {@code run.sql()} in one transaction on {@code run.connection()}. The statement is the runbook author's
     * and must itself be safe to repeat (for example {@code create or replace view}); {@code run.idempotencyKey()}
     * (run id + step id + apply/revert) names it in logs.
     */
    @ActivityMethod
    void runSql(SqlRun run);
}
