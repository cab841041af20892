package org.runbooks.backfill;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.RealTimeTemporal;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.runbooks.step.StepOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * A key repair that a rollback cancels stops at once on real PostgreSQL: its statement waiting on a row lock is
 * cancelled ({@link Statement#cancel()}), its transaction rolled back and its locks released within seconds, not when
 * the lock comes free or its lock timeout (two minutes here) runs out; nothing it wrote is committed, and it ends
 * cancelled. The repair runs as the workflows run it ({@link StepOptions#repair}, waited for on cancel), with a 1 s
 * heartbeat timeout and one attempt, on a Temporal test server that keeps real time.
 */
class PgKeyRepairCancelIT {

    private static final String QUEUE = "repair-cancel";
    /** How soon after the cancel the repair's session must be idle: 10 s, against its 120 s lock timeout. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @WorkflowInterface
    public interface Repair {
        @WorkflowMethod
        KeyRepairResult repair(KeyRepairRequest request);
    }

    public static class RepairImpl implements Repair {
        private final BackfillActivities backfill = Workflow.newActivityStub(BackfillActivities.class,
                ActivityOptions.newBuilder(StepOptions.stoppedBeforeUndo(StepOptions.repair("repair parity")))
                        .setHeartbeatTimeout(Duration.ofSeconds(1))
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());

        @Override
        public KeyRepairResult repair(KeyRepairRequest request) {
            return backfill.repairKeys(request);
        }
    }

    private PgDatabases db;
    private TestWorkflowEnvironment env;
    private Connection holder;

    @AfterEach
    void tearDown() throws SQLException {
        if (holder != null) {
            holder.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aCancelledRepairWaitingOnALockCancelsItsStatementAndReleasesItsLocks() throws Exception {
        db = new PgDatabases("repair_cancel");
        db.execute(LEGACY, "create table orders (id bigint primary key, note text)",
                "insert into orders values (1, 'a'), (2, 'b'), (3, 'c')");
        db.execute(TARGET, "create table orders_v2 (id bigint primary key, note text)",
                "insert into orders_v2 values (1, 'a'), (3, 'stale')");
        env = RealTimeTemporal.start(QUEUE, RepairImpl.class,
                new BackfillActivitiesImpl(db.withLockTimeout(Duration.ofMinutes(2))));
        holder = db.connect(TARGET);
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.execute("select * from orders_v2 where id = 3 for update");
        }
        BackfillStep copy = new BackfillStep("copy", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 100, BackfillRollback.DELETE_COPIED);
        Repair repair = env.getWorkflowClient().newWorkflowStub(Repair.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("repair-cancelled").build());

        WorkflowClient.start(repair::repair, new KeyRepairRequest("run/parity/repair-1", "rb", copy, List.of("id"),
                List.of(List.of("2"), List.of("3"))));
        awaitOtherSessions("wait_event_type = 'Lock'", true, Duration.ofSeconds(60));
        long cancelled = System.nanoTime();
        WorkflowStub.fromTyped(repair).cancel();
        awaitOtherSessions("state <> 'idle'", false, PROMPTLY);
        Duration stopped = Duration.ofNanos(System.nanoTime() - cancelled);
        WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(repair).getResult(KeyRepairResult.class));
        holder.commit();

        assertThat(stopped).isLessThan(PROMPTLY);
        assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
        assertThat(db.rows(TARGET, "select id, note from orders_v2 order by id"))
                .as("nothing the cancelled repair wrote is committed")
                .containsExactly(List.of("1", "a"), List.of("3", "stale"));
    }

    /**
     * Until some session but the test's own on the target database matches {@code condition} ({@code present}) or
     * none does (not {@code present}); fails after {@code within}.
     */
    private void awaitOtherSessions(String condition, boolean present, Duration within) throws InterruptedException {
        String query = "select count(*) from pg_stat_activity where datname = current_database()"
                + " and pid <> pg_backend_pid() and pid <> " + backendPid(holder) + " and " + condition;
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!db.scalar(TARGET, query).equals("0") == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("after " + within + ", still " + (present ? "no" : "a") + " session with "
                + condition + ": " + db.rows(TARGET, "select pid, state, wait_event_type, query from pg_stat_activity"
                + " where datname = current_database() and pid <> pg_backend_pid()"));
    }

    private static int backendPid(Connection connection) {
        try (Statement st = connection.createStatement();
             var rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
