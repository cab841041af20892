package org.runbooks.backfill;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.backfill.PgKeyRepairCancelIT.Repair;
import org.runbooks.backfill.PgKeyRepairCancelIT.RepairImpl;
import org.runbooks.jdbc.MariaDbDatabases;
import org.runbooks.jdbc.RealTimeTemporal;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * {@link PgKeyRepairCancelIT} on real MariaDB, whose driver cancels a statement with {@code KILL QUERY} from a
 * connection of its own: a cancelled repair whose upsert waits on a row lock (lock wait timeout two minutes) leaves
 * no statement running and no transaction open within seconds, commits nothing, and ends cancelled.
 */
class MariaDbKeyRepairCancelIT {

    private static final String QUEUE = "repair-cancel-mariadb";
    /** How soon after the cancel the repair's session must be done: 10 s, against its 120 s lock wait timeout. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private MariaDbDatabases db;
    private TestWorkflowEnvironment env;
    private Connection holder;
    private long holderId;

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
    void aCancelledRepairWaitingOnALockIsKilledAndRollsBack() throws Exception {
        db = new MariaDbDatabases("maria_repair_cancel");
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
            try (var rs = st.executeQuery("select connection_id()")) {
                rs.next();
                holderId = rs.getLong(1);
            }
        }
        BackfillStep copy = new BackfillStep("copy", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 100, BackfillRollback.DELETE_COPIED);
        Repair repair = env.getWorkflowClient().newWorkflowStub(Repair.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("repair-cancelled").build());

        WorkflowClient.start(repair::repair, new KeyRepairRequest("run/parity/repair-1", "rb", copy, List.of("id"),
                List.of(List.of("2"), List.of("3"))));
        await("a statement waiting on a lock", "select count(*) from information_schema.innodb_trx"
                + " where trx_state = 'LOCK WAIT' and trx_mysql_thread_id <> " + holderId, true, Duration.ofSeconds(60));
        long cancelled = System.nanoTime();
        WorkflowStub.fromTyped(repair).cancel();
        await("a transaction of the repair", "select count(*) from information_schema.innodb_trx"
                + " where trx_mysql_thread_id <> " + holderId, false, PROMPTLY);
        Duration stopped = Duration.ofNanos(System.nanoTime() - cancelled);
        WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(repair).getResult(KeyRepairResult.class));
        holder.commit();

        assertThat(stopped).isLessThan(PROMPTLY);
        assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
        assertThat(db.scalar(TARGET, "select group_concat(id, '=', note order by id) from orders_v2"))
                .as("nothing the cancelled repair wrote is committed").isEqualTo("1=a,3=stale");
    }

    /** Until {@code count} reads non-zero ({@code present}) or zero (not {@code present}); fails after {@code within}. */
    private void await(String what, String count, boolean present, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!db.scalar(TARGET, count).equals("0") == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("after " + within + ", still " + (present ? "no " : "") + what + ": "
                + db.scalar(TARGET, "select group_concat(trx_mysql_thread_id, ' ', trx_state, ' ',"
                + " coalesce(trx_query, '-') separator '; ') from information_schema.innodb_trx"));
    }
}
