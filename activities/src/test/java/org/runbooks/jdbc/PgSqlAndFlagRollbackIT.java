package org.runbooks.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.flag.FlagStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Rollbacks of SQL and flag steps on real PostgreSQL, through the real runbook and phase workflows on a Temporal test
 * server that keeps real time: a failed apply is not reverted (its revert would destroy what was there before), and a
 * rollback that arrives while a flag change or an apply waits on a lock stops that statement before it undoes
 * anything, so the forward change is never committed after the undo.
 */
class PgSqlAndFlagRollbackIT {

    @TempDir
    Path dir;

    private PgDatabases db;
    private RealTimeRunbooks runbooks;
    private Connection holder;

    @BeforeEach
    void setUp() {
        db = new PgDatabases("sql_flag_rollback");
        runbooks = new RealTimeRunbooks(db.registry, dir);
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (holder != null) {
            holder.close();
        }
        runbooks.close();
    }

    @Test
    void failedAddColumnIsNotRevertedAndTheColumnKeepsItsData() {
        db.execute(TARGET, "create table orders (id bigint primary key, note text)",
                "insert into orders values (1, 'fragile'), (2, 'handle with care')");
        RunbookWorkflow runbook = runbooks.start("""
                apiVersion: runbook/v1
                name: add-note
                phases:
                  - name: schema
                    steps:
                      - id: add-note
                        sql:
                          connection: target
                          apply: "alter table orders add column note text"
                          revert: "alter table orders drop column note"
                """);

        RunbookResult result = RealTimeRunbooks.resultOf(runbook);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).contains("already exists");
        assertThat(db.rows(TARGET, "select id, note from orders order by id"))
                .as("the column the failed apply did not add, and its data, are still there")
                .containsExactly(List.of("1", "fragile"), List.of("2", "handle with care"));
        assertThat(result.compensations()).extracting(CompensationRecord::detail)
                .containsExactly("nothing to revert: its apply never committed");
    }

    @Test
    void rollbackWhileAFlagChangeWaitsOnALockLeavesTheFlagAsItWas() throws Exception {
        try (Connection c = db.registry.open(TARGET)) {
            FlagStore.ensureTables(c);
        }
        db.execute(TARGET, "insert into runbook_flags (name, percent, updated_by) values ('orders.write_v2', 0, 'ops')");
        holder = hold("select percent from runbook_flags where name = 'orders.write_v2' for update");
        RunbookWorkflow runbook = runbooks.start("""
                apiVersion: runbook/v1
                name: write-v2
                phases:
                  - name: cutover
                    steps:
                      - id: write-v2
                        flag: { connection: target, name: orders.write_v2, enabled: true }
                """);
        awaitAStatementWaitingOnALock();

        runbook.rollback(new RollbackRequest("bob", "abort the cutover"));
        RunbookResult result = RealTimeRunbooks.resultOf(runbook);
        holder.commit();
        awaitNoOtherStatementRunning();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(db.rows(TARGET, "select percent, updated_by from runbook_flags where name = 'orders.write_v2'"))
                .as("the flag change stopped by the rollback is not committed after it")
                .containsExactly(List.of("0", "ops"));
        assertThat(result.compensations()).extracting(CompensationRecord::detail)
                .containsExactly("nothing to restore: flag orders.write_v2 was never changed by this step");
    }

    @Test
    void rollbackWhileAnApplyWaitsOnALockLeavesNothingApplied() throws Exception {
        db.execute(TARGET, "create table orders (id bigint primary key)");
        holder = hold("select pg_advisory_lock(4242)");
        RunbookWorkflow runbook = runbooks.start("""
                apiVersion: runbook/v1
                name: add-note
                phases:
                  - name: schema
                    steps:
                      - id: add-note
                        sql:
                          connection: target
                          apply: "select pg_advisory_xact_lock(4242); alter table orders add column note text"
                          revert: "alter table orders drop column if exists note"
                """);
        awaitAStatementWaitingOnALock();

        runbook.rollback(new RollbackRequest("bob", "abort the schema change"));
        RunbookResult result = RealTimeRunbooks.resultOf(runbook);
        holder.close();
        holder = null;
        awaitNoOtherStatementRunning();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(db.rows(TARGET, "select count(*) from information_schema.columns"
                + " where table_name = 'orders' and column_name = 'note'"))
                .as("the apply stopped by the rollback is not committed after its revert ran")
                .containsExactly(List.of("0"));
    }

    /** A connection of the test's own, in a transaction that ran {@code sql} and holds its locks until it ends. */
    private Connection hold(String sql) throws SQLException {
        Connection c = db.registry.open(TARGET);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
        return c;
    }

    private void awaitAStatementWaitingOnALock() throws InterruptedException {
        awaitOtherStatements("wait_event_type = 'Lock'", true);
    }

    /** Until no session but the test's is inside a statement or a transaction on the target database. */
    private void awaitNoOtherStatementRunning() throws InterruptedException {
        awaitOtherStatements("state <> 'idle'", false);
    }

    private void awaitOtherStatements(String condition, boolean present) throws InterruptedException {
        String query = "select count(*) from pg_stat_activity where datname = current_database()"
                + " and pid <> pg_backend_pid() and " + condition;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean seen = !db.scalar(TARGET, query).equals("0");
            if (seen == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("after 60 s, still " + (present ? "no" : "a") + " session with " + condition);
    }
}
