package org.runbooks.sql;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.SqlRun;
import org.runbooks.jdbc.TwoDatabases;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

class SqlActivitiesImplTest {

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private SqlActivities sql;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(TARGET, "create table orders_v2 (id bigint primary key)");
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new SqlActivitiesImpl(db.registry));
        sql = testEnv.newActivityStub(SqlActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void statementIsCommitted() {
        sql.runSql(new SqlRun("run-1/compat-view/apply", TARGET, "create or replace view orders as select * from orders_v2"));

        assertThat(db.rows(TARGET, "select count(*) from information_schema.views where table_name = 'orders'"))
                .containsExactly(List.of(1L));
    }

    @Test
    void applyRepeatedAfterItCommittedRunsOnce() {
        SqlRun apply = new SqlRun("run-1/seed/apply", TARGET, "insert into orders_v2 values (1)");
        sql.runSql(apply);

        String repeated = sql.runSql(apply);

        assertThat(repeated).isEqualTo("already ran: run-1/seed/apply committed before");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(1);
    }

    @Test
    void revertOfAnApplyThatNeverCommittedLeavesTheDatabaseAlone() {
        db.execute(TARGET, "alter table orders_v2 add column note varchar(20)", "insert into orders_v2 values (1, 'keep')");
        catchThrowable(() -> sql.runSql(new SqlRun("run-1/add-note/apply", TARGET,
                "alter table orders_v2 add column note varchar(20)")));

        String reverted = sql.runSql(new SqlRun("run-1/add-note/revert", TARGET, "alter table orders_v2 drop column note",
                "run-1/add-note/apply"));

        assertThat(reverted).isEqualTo("nothing to revert: its apply never committed");
        assertThat(db.rows(TARGET, "select id, note from orders_v2")).containsExactly(List.of(1L, "keep"));
    }

    @Test
    void revertOfACommittedApplyRunsOnceThoughRepeated() {
        sql.runSql(new SqlRun("run-1/seed/apply", TARGET, "insert into orders_v2 values (1)"));
        SqlRun revert = new SqlRun("run-1/seed/revert", TARGET, "delete from orders_v2 where id = 1",
                "run-1/seed/apply");
        String first = sql.runSql(revert);
        db.execute(TARGET, "insert into orders_v2 values (1)");

        String repeated = sql.runSql(revert);

        assertThat(first).isEqualTo("ran");
        assertThat(repeated).isEqualTo("already ran: run-1/seed/revert committed before");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).as("the row put back after the revert")
                .isEqualTo(1);
    }

    @Test
    void applyCancelledWhileItRunsCommitsNothing() {
        db.execute(TARGET, "create alias sleep_ms for 'java.lang.Thread.sleep(long)'");
        SqlActivities cancellable = testEnv.newActivityStub(SqlActivities.class, ActivityOptions.newBuilder(ONE_ATTEMPT)
                .setHeartbeatTimeout(Duration.ofMillis(400)).build());
        testEnv.setActivityHeartbeatListener(Object.class, details -> testEnv.requestCancelActivity());

        Throwable thrown = catchThrowable(() -> cancellable.runSql(new SqlRun("run-1/seed/apply", TARGET,
                "call sleep_ms(1500); insert into orders_v2 values (1)")));

        assertThat(thrown).isInstanceOf(CanceledFailure.class);
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).as("rows the cancelled apply wrote").isZero();
    }

    @Test
    void brokenStatementFailsWithoutRetry() {
        ApplicationFailure failure = applicationFailureOf(
                () -> sql.runSql(new SqlRun("run-1/compat-view/apply", TARGET, "drop view no_such_view")));

        assertThat(failure.getType()).isEqualTo("SqlError");
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void unknownConnectionFailsWithoutRetry() {
        ApplicationFailure failure = applicationFailureOf(
                () -> sql.runSql(new SqlRun("run-1/compat-view/apply", "archive", "select 1")));

        assertThat(failure.getType()).isEqualTo("UnknownConnection");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).isEqualTo("unknown connection 'archive'; this worker knows"
                + " [legacy, target] (configure runbooks.connections.archive.url)");
    }
}
