package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.SqlRun;
import org.runbooks.sql.SqlActivities;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The runbook SQL activity, which can fail as if its database were unreachable. */
final class FakeSql implements SqlActivities {

    private final List<String> calls;
    /**
     * Attempts of runSql that fail as if its database were unreachable, each telling its phase first, as the worker's
     * trouble reports do; the attempt after them waits while {@link #holdRecovery} is true, then succeeds.
     */
    volatile int unreachableSqlAttempts;
    volatile boolean holdRecovery;
    /** Every trouble runSql reported, in order. */
    final List<ActivityTrouble> troubles = new CopyOnWriteArrayList<>();

    FakeSql(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public String runSql(SqlRun run) {
        io.temporal.activity.ActivityExecutionContext context = io.temporal.activity.Activity.getExecutionContext();
        int attempt = context.getInfo().getAttempt();
        if (attempt <= unreachableSqlAttempts) {
            ActivityTrouble trouble = new ActivityTrouble(context.getInfo().getActivityType(), attempt,
                    "connection 'target' is unreachable: Connection refused. [SQLState 08001]",
                    java.time.Instant.now().toString());
            troubles.add(trouble);
            context.getWorkflowClient().newWorkflowStub(PhaseWorkflow.class, context.getInfo().getWorkflowId(),
                    java.util.Optional.of(context.getInfo().getRunId())).activityTrouble(trouble);
            throw ApplicationFailure.newFailure(trouble.error(), "DatabaseUnavailable");
        }
        FakeBackfill.holdWhile(() -> holdRecovery, new AtomicInteger());
        calls.add("runSql:" + run.idempotencyKey().substring(run.idempotencyKey().indexOf('/', run.idempotencyKey()
                .indexOf('/') + 1) + 1));
        return "ran";
    }
}
