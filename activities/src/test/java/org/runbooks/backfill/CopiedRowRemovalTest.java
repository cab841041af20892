package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/**
 * A backfill's rollback removes exactly the rows the copy wrote that nobody changed since: a row the application
 * inserted into the copied key span, or a copied row it updated on the target, is kept and listed.
 */
class CopiedRowRemovalTest {

    /** 1,000 orders with ids 3, 6, ... 3,000. */
    private static final int ORDERS = 1_000;
    private static final String COPY_KEY = "run-7/copy-orders";
    private static final String COLUMNS = "id bigint primary key, customer varchar(100) not null,"
            + " amount decimal(12, 2) not null";

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private BackfillActivities backfill;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (" + COLUMNS + ")",
                "insert into orders select x * 3, 'customer-' || mod(x, 97), x * 1.25 from " + numbers(1, ORDERS));
        db.execute(TARGET, "create table orders_v2 (" + COLUMNS + ")");
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        backfill = testEnv.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void rollbackKeepsRowsTheApplicationWroteOrChangedInsideTheCopiedSpan() {
        BackfillStep step = ordersStep();
        backfill.copyTable(new BackfillRequest(COPY_KEY, "orders-to-v2", step));
        // The application writes through the target after the copy: new orders between copied keys, and updates.
        db.execute(TARGET, "insert into orders_v2 values (4, 'new after copy', 1), (1501, 'new after copy', 2)",
                "update orders_v2 set amount = amount + 100 where id in (6, 2997)");

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(db.rows(TARGET, "select id, customer from orders_v2 order by id")).containsExactly(
                List.of(4L, "new after copy"), List.of(6L, "customer-2"), List.of(1501L, "new after copy"),
                List.of(2997L, "customer-29"));
        assertThat(removed).isEqualTo("deleted 998 of 1000 copied rows from target.orders_v2 (keys [3] to [3000]);"
                + " kept 4 rows that the source does not hold as they are now (written or changed since the copy),"
                + " keys [4], [6], [1501], [2997]");
    }

    @Test
    void rollbackThatRemovesNoneOfTheCopiedRowsFailsLoudly() {
        BackfillStep step = ordersStep();
        backfill.copyTable(new BackfillRequest(COPY_KEY, "orders-to-v2", step));
        db.execute(TARGET, "update orders_v2 set customer = 'changed on the target'");

        ApplicationFailure failure = applicationFailureOf(
                () -> backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step)));

        assertThat(failure.getType()).isEqualTo("CopiedRowsKept");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).startsWith("deleted 0 of 1000 copied rows from target.orders_v2:"
                + " kept 1000 rows that the source does not hold as they are now");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(ORDERS);
    }

    @Test
    void rollbackDeletesInBatchesEachCommittedWithItsCheckpoint() {
        BackfillStep step = ordersStep();
        backfill.copyTable(new BackfillRequest(COPY_KEY, "orders-to-v2", step));

        backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        // 1,000 rows in batches of at most 500: every batch recorded where it stopped, in the delete's transaction.
        assertThat(db.rows(TARGET, "select last_key, rows_deleted, rows_kept, batches, done"
                + " from runbook_copy_removals where copy_key = '" + COPY_KEY + "'"))
                .containsExactly(List.of("[\"3000\"]", 1000L, 0L, 2L, true));
    }

    @Test
    void rollbackRunAgainReportsWhatTheFirstRunDid() {
        BackfillStep step = ordersStep();
        backfill.copyTable(new BackfillRequest(COPY_KEY, "orders-to-v2", step));
        String first = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));
        db.execute(TARGET, "insert into orders_v2 values (9, 'written after the rollback', 1)");

        String again = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(first).isEqualTo("deleted 1000 of 1000 copied rows from target.orders_v2 (keys [3] to [3000])");
        assertThat(again).isEqualTo(first + "; kept 1 rows that the source does not hold as they are now (written"
                + " or changed since the copy), keys [9]");
        assertThat(db.rows(TARGET, "select id from orders_v2")).containsExactly(List.of(9L));
    }

    @Test
    void aSliceAttemptAfterTheRollbackWritesNothing() {
        BackfillStep step = ordersStep();
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", step, 1));
        SliceRequest first = new SliceRequest(COPY_KEY, "orders-to-v2", step, plan.ranges().get(0),
                plan.cursors().get(0), 100, 0, 2, 60_000);
        backfill.copySlice(first);
        backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        // A superseded attempt of the slice, still running when the rollback ran, tries its next chunk.
        ApplicationFailure failure = applicationFailureOf(() -> backfill.copySlice(first));

        assertThat(failure.getType()).isEqualTo("CopyRolledBack");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isZero();
    }

    private static BackfillStep ordersStep() {
        return new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 100, BackfillRollback.DELETE_COPIED);
    }
}
