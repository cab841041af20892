package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/** Copies split into key ranges: planned, run at once, stopped together, resumed range by range, and undone. */
class BackfillParallelCopyTest {

    /** 2,500 orders, ids 3 to 7,500: four ranges meet at 1,877, 3,752 and 5,626. */
    private static final int ORDERS = 2_500;
    private static final String COPY_KEY = "run-7/copy-orders";
    private static final List<String> RANGES = List.of("id in [-inf, 1877)", "id in [1877, 3752)",
            "id in [3752, 5626)", "id in [5626, +inf)");
    private static final String SOURCE_ROWS = "select * from orders order by id";
    private static final String TARGET_ROWS = "select id, customer, amount, placed_at, note from orders_v2 order by id";
    private static final String RANGE_PROGRESS = "select copy_key, rows_copied, chunks from runbook_copy_progress"
            + " order by copy_key";

    private final BackfillFixture fixture = new BackfillFixture().withOrders(ORDERS);
    private final TwoDatabases db = fixture.db;

    BackfillParallelCopyTest() {
        db.execute(TARGET, "create table orders_v2 (" + BackfillFixture.ORDERS_COLUMNS + ")");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void integerKeyIsCutIntoEqualRangesThatTogetherCopyEveryRowOnce() {
        BackfillResult result = fixture.copier().backfill().copyTable(request(ordersStep(4), 0));

        assertThat(result).isEqualTo(new BackfillResult(ORDERS, 28, 0, List.of("3"), List.of("7500"), 4));
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(ORDERS);
        assertThat(db.rows(TARGET, "select key_column, split_points from runbook_copy_ranges"))
                .containsExactly(List.of("id", "[\"1877\",\"3752\",\"5626\"]"));
        assertThat(db.rows(TARGET, RANGE_PROGRESS)).containsExactly(
                List.of(COPY_KEY + "#range-1-of-4", 625L, 7L), List.of(COPY_KEY + "#range-2-of-4", 625L, 7L),
                List.of(COPY_KEY + "#range-3-of-4", 625L, 7L), List.of(COPY_KEY + "#range-4-of-4", 625L, 7L));
    }

    @Test
    void heartbeatCarriesTheCheckpointOfEveryRange() {
        BackfillFixture.Copier copier = fixture.copier();

        copier.backfill().copyTable(request(ordersStep(4), 0));

        // The first heartbeat goes out at the first committed chunk, in whichever range that was.
        BackfillCheckpoint first = copier.heartbeats().get(0);
        assertThat(first.slices()).extracting(BackfillCheckpoint.Slice::range).isEqualTo(RANGES);
        assertThat(first.slices()).extracting(BackfillCheckpoint.Slice::chunks).containsExactlyInAnyOrder(1L, 0L, 0L, 0L);
        assertThat(first.rowsCopied()).isEqualTo(100).isEqualTo(first.slices().stream()
                .mapToLong(BackfillCheckpoint.Slice::rowsCopied).sum());
    }

    @Test
    void cancelledParallelCopyStopsEveryRangeAfterItsChunkAndResumesEachWhereItStopped() {
        BackfillFixture.Copier cancelled = fixture.copier();
        cancelled.env().setActivityHeartbeatListener(BackfillCheckpoint.class,
                checkpoint -> cancelled.env().requestCancelActivity());

        Throwable thrown = catchThrowable(() -> cancelled.backfill().copyTable(request(ordersStep(4), 0)));

        assertThat(thrown).isInstanceOf(CanceledFailure.class);
        long atCancel = db.count(TARGET, "select count(*) from orders_v2");
        assertThat(atCancel).as("stopped mid-way").isBetween(100L, (long) ORDERS - 1);
        assertThat(fixture.auditedRows(COPY_KEY)).as("whole chunks only").isEqualTo(atCancel);
        assertThat(db.rows(TARGET, "select max(chunks) from runbook_copy_progress"))
                .as("each range stops after the chunk it was writing when the cancel came")
                .containsExactly(List.of(1L));

        BackfillResult resumed = fixture.copier().backfill().copyTable(request(ordersStep(4), 0));

        assertThat(resumed.rowsCopied()).isEqualTo(ORDERS);
        assertThat(resumed.keyRanges()).isEqualTo(4);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
        assertThat(fixture.auditedRows(COPY_KEY)).as("every row exactly once").isEqualTo(ORDERS);
        assertThat(db.count(TARGET, "select count(*) from runbook_copy_chunks")).isEqualTo(resumed.chunks());
    }

    @Test
    void failedRangeStopsTheOthersAndARetryFinishesEveryRange() {
        // The target refuses one row in the third range's third chunk, as a crash there would.
        db.execute(TARGET, "alter table orders_v2 add constraint no_poison check (customer <> 'poison')");
        db.execute(LEGACY, "update orders set customer = 'poison' where id = 4500");

        ApplicationFailure refused = applicationFailureOf(
                () -> fixture.copier().backfill().copyTable(request(ordersStep(4), 0)));

        assertThat(refused.getType()).isEqualTo("SqlError");
        assertThat(db.rows(TARGET, "select chunks from runbook_copy_progress where copy_key = '" + COPY_KEY
                + "#range-3-of-4'")).containsExactly(List.of(2L));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(db.count(TARGET, "select count(*) from orders_v2"));
        db.execute(TARGET, "alter table orders_v2 drop constraint no_poison");

        BackfillResult resumed = fixture.copier().backfill().copyTable(request(ordersStep(4), 0));

        assertThat(resumed.rowsCopied()).isEqualTo(ORDERS);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(ORDERS);
    }

    @Test
    void rollbackDeletesWhatEachRangeWroteAndNothingBetweenThem() {
        BackfillStep step = ordersStep(4);
        fixture.copier().backfill().copyTable(request(step, 0));
        // Written later, between what range 1 (last id 1,875) and range 2 (first id 1,878) copied.
        db.execute(TARGET, "insert into orders_v2 (id, customer, amount, placed_at) values"
                + " (1876, 'new', 1, timestamp '2024-07-01 00:00:00')");

        String removed = fixture.copier().backfill().removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(removed).isEqualTo("deleted 2500 of 2500 copied rows from target.orders_v2 (keys [3] to [1875],"
                + " [1878] to [3750], [3753] to [5625], [5628] to [7500]); kept 1 rows that the source does not hold"
                + " as they are now (written or changed since the copy), keys [1876]");
        assertThat(db.rows(TARGET, "select id from orders_v2")).containsExactly(List.of(1876L));
        assertThat(db.rows(TARGET, "select distinct rolled_back from runbook_copy_progress")).containsExactly(List.of(true));
    }

    @Test
    void rateLimitHoldsForAllRangesTogether() {
        long started = System.nanoTime();

        BackfillResult result = fixture.copier().backfill().copyTable(request(ordersStep(4), 2_500));

        // 2,500 rows at 2,500 rows/s take a second; a limit applied per range would let four ranges take a quarter.
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(900);
        // ... and the second is not that of a copy that ran in one range or stopped early: all four ranges copied
        // their share, every row once.
        assertThat(result.keyRanges()).isEqualTo(4);
        assertThat(result.rowsCopied()).isEqualTo(ORDERS);
        assertThat(db.rows(TARGET, RANGE_PROGRESS)).extracting(row -> row.get(1))
                .containsExactly(625L, 625L, 625L, 625L);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
    }

    @Test
    void compositeKeyIsCutOnItsLeadingColumn() {
        db.execute(LEGACY, "create table order_lines (tenant_id int, line_no int, sku varchar(20), qty int,"
                        + " primary key (tenant_id, line_no))",
                "insert into order_lines select t.x, l.x, 'sku-' || t.x || '-' || l.x, t.x * l.x"
                        + " from " + numbers(1, 12) + " t cross join " + numbers(1, 25) + " l");
        db.execute(TARGET, "create table order_lines_v2 (tenant_id int, line_no int, sku varchar(20), qty int,"
                + " primary key (tenant_id, line_no))");
        BackfillStep step = new BackfillStep("copy-lines", new TableRef(LEGACY, "order_lines"), null,
                new TableRef(TARGET, "order_lines_v2"), List.of("tenant_id", "line_no"), Map.of(), 7, 3, 0,
                BackfillRollback.DELETE_COPIED);

        BackfillResult result = fixture.copier().backfill().copyTable(
                new BackfillRequest("run-7/copy-lines", "orders-to-v2", step));

        assertThat(result).isEqualTo(new BackfillResult(300, 45, 0, List.of("1", "1"), List.of("12", "25"), 3));
        assertThat(db.rows(TARGET, "select * from order_lines_v2 order by tenant_id, line_no"))
                .isEqualTo(db.rows(LEGACY, "select * from order_lines order by tenant_id, line_no"));
        assertThat(db.rows(TARGET, "select split_points from runbook_copy_ranges")).containsExactly(List.of("[\"5\",\"9\"]"));
    }

    @Test
    void keyThatIsNotAnIntegerIsCopiedInOneRange() {
        db.execute(LEGACY, "create table skus (code varchar(20) primary key, name varchar(50))",
                "insert into skus select 'sku-' || x, 'name ' || x from " + numbers(1, 500));
        db.execute(TARGET, "create table skus_v2 (code varchar(20) primary key, name varchar(50))");
        BackfillStep step = new BackfillStep("copy-skus", new TableRef(LEGACY, "skus"), null,
                new TableRef(TARGET, "skus_v2"), List.of("code"), Map.of(), 100, 4, 0, BackfillRollback.DELETE_COPIED);

        BackfillResult result = fixture.copier().backfill().copyTable(
                new BackfillRequest("run-7/copy-skus", "orders-to-v2", step));

        assertThat(result.keyRanges()).isEqualTo(1);
        assertThat(result.rowsCopied()).isEqualTo(500);
        assertThat(db.count(TARGET, "select count(*) from runbook_copy_ranges")).isZero();
        assertThat(db.rows(TARGET, "select copy_key from runbook_copy_progress")).containsExactly(List.of("run-7/copy-skus"));
    }

    @Test
    void emptySourceIsCopiedInOneRange() {
        db.execute(LEGACY, "delete from orders");

        BackfillResult result = fixture.copier().backfill().copyTable(request(ordersStep(4), 0));

        assertThat(result).isEqualTo(new BackfillResult(0, 0, 0, null, null, 1));
    }

    private static BackfillStep ordersStep(int parallelism) {
        return new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"), null, new TableRef(TARGET, "orders_v2"),
                List.of("id"), Map.of(), 100, parallelism, 0, BackfillRollback.DELETE_COPIED);
    }

    private static BackfillRequest request(BackfillStep step, long rowsPerSecond) {
        return new BackfillRequest(COPY_KEY, "orders-to-v2", step, null, rowsPerSecond);
    }
}
