package org.runbooks.jdbc;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.SqlRun;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.runbooks.sql.SqlActivities;
import org.runbooks.sql.SqlActivitiesImpl;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

/**
 * On real PostgreSQL, a statement the worker runs never queues behind another session's lock for longer than its
 * lock timeout: cutover DDL behind a long read gives up (and is retried after a backoff) instead of blocking every
 * read and write that queues behind it in turn, and so does a chunk behind an application's row lock.
 */
class PgLockTimeoutIT {

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void cutoverDdlBehindALongReadGivesUpAfterTheStepsLockTimeout() throws Exception {
        PgDatabases db = new PgDatabases("lock_ddl");
        db.execute(TARGET, "create table orders (id bigint primary key, v int)", "insert into orders values (1, 1)");
        SqlActivities sql = activities(db.registry).newActivityStub(SqlActivities.class, ONE_ATTEMPT);
        try (Connection report = db.connect(TARGET); Statement st = report.createStatement()) {
            report.setAutoCommit(false);
            st.executeQuery("select count(*) from orders").close();  // a long report holds its share lock

            long began = System.nanoTime();
            ApplicationFailure failure = CompletableFuture.supplyAsync(() -> applicationFailureOf(
                    () -> sql.runSql(new SqlRun("run-1/rename/apply", TARGET, "alter table orders rename to orders_old",
                            null, 500L)))).get(30, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - began) / 1_000_000;

            assertThat(failure.getType()).isEqualTo("LockTimeout");
            assertThat(failure.isNonRetryable()).as("retried after a backoff").isFalse();
            assertThat(failure.getOriginalMessage()).startsWith("gave up waiting for a lock");
            assertThat(tookMillis).as("gave up after its 0.5 s lock timeout, not the connection's 5 s").isLessThan(4_000);
            report.rollback();
        }
        assertThat(db.scalar(TARGET, "select to_regclass('orders')::text")).isEqualTo("orders");
    }

    @Test
    void everyConnectionGetsTheConfiguredLockTimeoutSoAChunkBehindARowLockGivesUp() throws Exception {
        PgDatabases db = new PgDatabases("lock_chunk");
        db.execute(LEGACY, "create table orders (id bigint primary key, v int)",
                "insert into orders select g, g from generate_series(1, 100) g");
        db.execute(TARGET, "create table orders (id bigint primary key, v int)", "insert into orders values (50, 0)");
        BackfillActivities backfill = activities(db.withLockTimeout(Duration.ofSeconds(1)))
                .newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
        BackfillStep step = new BackfillStep("copy", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders"),
                List.of("id"), 1000, BackfillRollback.KEEP);
        try (Connection app = db.connect(TARGET); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.executeUpdate("update orders set v = -1 where id = 50");  // the application holds a row lock

            long began = System.nanoTime();
            // Bounded, so that a copy that waits on the lock for good (as it did) fails the test instead of hanging it.
            ApplicationFailure failure = CompletableFuture.supplyAsync(() -> applicationFailureOf(
                    () -> backfill.copyTable(new BackfillRequest("run-1/copy", "rb", step))))
                    .get(30, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - began) / 1_000_000;

            assertThat(failure.getType()).isEqualTo("LockTimeout");
            assertThat(failure.isNonRetryable()).isFalse();
            assertThat(tookMillis).as("gave up after the connection's 1 s lock timeout").isLessThan(8_000);
            app.rollback();
        }
        assertThat(db.scalar(TARGET, "select count(*) from orders")).as("the chunk wrote nothing").isEqualTo("1");
    }

    private TestActivityEnvironment activities(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new SqlActivitiesImpl(registry), new BackfillActivitiesImpl(registry));
        return env;
    }
}
