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

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * The rollbacks of {@link PgSqlAndFlagRollbackIT} on real MariaDB, where DDL commits on its own: a failed ADD COLUMN
 * is not reverted, and a rollback that arrives while a flag change waits on a row lock stops it (KILL QUERY, through
 * {@code Statement.cancel()}) before the flag is restored.
 */
class MariaDbSqlAndFlagRollbackIT {

    @TempDir
    Path dir;

    private MariaDbDatabases db;
    private RealTimeRunbooks runbooks;
    private Connection holder;

    @BeforeEach
    void setUp() {
        db = new MariaDbDatabases("sql_flag_rollback");
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
        db.execute(TARGET, "create table orders (id bigint primary key, note varchar(40))",
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
                          apply: "alter table orders add column note varchar(40)"
                          revert: "alter table orders drop column note"
                """);

        RunbookResult result = RealTimeRunbooks.resultOf(runbook);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(db.scalar(TARGET, "select group_concat(concat(id, '=', note) order by id) from orders"))
                .as("the column the failed apply did not add, and its data, are still there")
                .isEqualTo("1=fragile,2=handle with care");
        assertThat(result.compensations()).extracting(CompensationRecord::detail)
                .containsExactly("nothing to revert: its apply never committed");
    }

    @Test
    void rollbackWhileAFlagChangeWaitsOnALockLeavesTheFlagAsItWas() throws Exception {
        try (Connection c = db.registry.open(TARGET)) {
            FlagStore.ensureTables(c);
        }
        db.execute(TARGET, "insert into runbook_flags (name, percent, updated_by) values ('orders.write_v2', 0, 'ops')");
        holder = db.registry.open(TARGET);
        try (Statement st = holder.createStatement()) {
            st.execute("select percent from runbook_flags where name = 'orders.write_v2' for update");
        }
        RunbookWorkflow runbook = runbooks.start("""
                apiVersion: runbook/v1
                name: write-v2
                phases:
                  - name: cutover
                    steps:
                      - id: write-v2
                        flag: { connection: target, name: orders.write_v2, enabled: true }
                """);
        awaitTransactions("trx_state = 'LOCK WAIT'", true);

        runbook.rollback(new RollbackRequest("bob", "abort the cutover"));
        RunbookResult result = RealTimeRunbooks.resultOf(runbook);
        holder.commit();
        awaitTransactions("trx_mysql_thread_id <> connection_id()", false);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(db.scalar(TARGET, "select concat(percent, ' by ', updated_by) from runbook_flags"
                + " where name = 'orders.write_v2'"))
                .as("the flag change stopped by the rollback is not committed after it").isEqualTo("0 by ops");
        assertThat(result.compensations()).extracting(CompensationRecord::detail)
                .containsExactly("nothing to restore: flag orders.write_v2 was never changed by this step");
    }

    /** Until some InnoDB transaction matches {@code condition} ({@code present}), or none does. */
    private void awaitTransactions(String condition, boolean present) throws InterruptedException {
        String query = "select count(*) from information_schema.innodb_trx where " + condition;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!db.scalar(TARGET, query).equals("0") == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("after 60 s, still " + (present ? "no" : "a") + " transaction with " + condition);
    }
}
