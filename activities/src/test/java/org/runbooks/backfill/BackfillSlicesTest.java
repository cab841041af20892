package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CopyRange;
import org.runbooks.api.RangeCursor;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

/** A copy planned once and then copied one bounded slice of one key range at a time, as a phase drives it. */
class BackfillSlicesTest {

    /** 2,500 orders, ids 3 to 7,500: 625 rows, 7 chunks of 100, in each of four ranges. */
    private static final int ORDERS = 2_500;
    private static final String COPY_KEY = "run-9/copy-orders";
    private static final String SOURCE_ROWS = "select * from orders order by id";
    private static final String TARGET_ROWS = "select id, customer, amount, placed_at, note from orders_v2 order by id";
    private static final long BUDGET_MILLIS = 60_000;

    private final BackfillFixture fixture = new BackfillFixture().withOrders(ORDERS);
    private final TwoDatabases db = fixture.db;
    private final BackfillActivities backfill = fixture.copier().backfill();

    BackfillSlicesTest() {
        db.execute(TARGET, "create table orders_v2 (" + BackfillFixture.ORDERS_COLUMNS + ")");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void slicesOfThreeChunksCopyEveryRangeToItsEndAndEveryRowOnce() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 4));
        assertThat(plan.ranges()).extracting(CopyRange::from).containsExactly(null, 1877L, 3752L, 5626L);
        assertThat(plan.estimatedRows()).isEqualTo(ORDERS);

        List<SliceResult> slices = new ArrayList<>();
        for (int i = 0; i < plan.ranges().size(); i++) {
            RangeCursor cursor = plan.cursors().get(i);
            while (!cursor.done()) {
                SliceResult slice = backfill.copySlice(slice(plan.ranges().get(i), cursor, 3, 0));
                slices.add(slice);
                cursor = slice.cursor();
            }
        }

        assertThat(slices).hasSize(12).extracting(SliceResult::chunksWritten)
                .containsExactly(3L, 3L, 1L, 3L, 3L, 1L, 3L, 3L, 1L, 3L, 3L, 1L);
        assertThat(slices.stream().mapToLong(SliceResult::rowsWritten).sum()).isEqualTo(ORDERS);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(ORDERS);
        assertThat(backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, ordersStep())))
                .startsWith("deleted 2500 of 2500 copied rows from target.orders_v2");
    }

    @Test
    void aSliceGivenAStaleCursorResumesFromTheRecordedProgressWithoutDoublingAChunk() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 4));
        CopyRange second = plan.ranges().get(1);
        RangeCursor start = plan.cursors().get(1);
        SliceResult first = backfill.copySlice(slice(second, start, 3, 0));
        assertThat(first.cursor()).isEqualTo(new RangeCursor(List.of("2775"), 300, 3, false));

        // The workflow never heard of the first slice (it was cancelled after committing): it sends the old cursor.
        SliceResult again = backfill.copySlice(slice(second, start, 3, 0));
        SliceResult last = backfill.copySlice(slice(second, again.cursor(), 3, 0));

        assertThat(again.rowsWritten()).isEqualTo(300);
        assertThat(again.cursor().chunks()).isEqualTo(6);
        assertThat(last.cursor()).isEqualTo(new RangeCursor(List.of("3750"), 625, 7, true));
        String range = COPY_KEY + "#range-2-of-4";
        assertThat(db.count(TARGET, "select coalesce(sum(row_count), 0) from runbook_copy_chunks where copy_key = '"
                + range + "'")).isEqualTo(625);
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(625);
        assertThat(db.count(TARGET, "select count(distinct chunk_no) from runbook_copy_chunks where copy_key = '"
                + range + "'")).isEqualTo(7);
    }

    @Test
    void aCursorAheadOfTheRecordedProgressIsRefusedBecauseTheBookkeepingWasLost() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 4));

        ApplicationFailure refused = applicationFailureOf(() -> backfill.copySlice(slice(plan.ranges().get(0),
                new RangeCursor(List.of("900"), 300, 3, false), 3, 0)));

        assertThat(refused.getType()).isEqualTo(CopySliceActivity.PROGRESS_LOST);
        assertThat(refused.isNonRetryable()).isTrue();
        assertThat(refused.getOriginalMessage()).contains("records 0 chunks, fewer than the 3 the workflow saw");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isZero();
    }

    @Test
    void planningAgainKeepsTheRecordedRangesAndReturnsTheirCursors() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 4));
        backfill.copySlice(slice(plan.ranges().get(2), plan.cursors().get(2), 2, 0));

        CopyPlan again = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 2));

        assertThat(again.ranges()).isEqualTo(plan.ranges());
        assertThat(again.cursors().get(2)).isEqualTo(new RangeCursor(List.of("4350"), 200, 2, false));
        assertThat(again.cursors().get(0).rowsCopied()).isZero();
    }

    @Test
    void aRateWaitLongerThanTheBudgetIsHandedBackInsteadOfHoldingTheSlice() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "orders-to-v2", ordersStep(), 1));
        SliceRequest slow = new SliceRequest(COPY_KEY, "orders-to-v2", ordersStep(), plan.ranges().get(0),
                plan.cursors().get(0), 100, 50, 10, 300);

        long started = System.nanoTime();
        SliceResult result = backfill.copySlice(slow);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(result.chunksWritten()).as("100 rows at 50 rows/s owe 2 s, past the 0.3 s budget").isEqualTo(1);
        assertThat(result.resumeAfterMillis()).isBetween(1_000L, 2_000L);
        assertThat(result.done()).isFalse();
        assertThat(tookMillis).isLessThan(1_900);
    }

    private static SliceRequest slice(CopyRange range, RangeCursor cursor, int maxChunks, long rowsPerSecond) {
        return new SliceRequest(COPY_KEY, "orders-to-v2", ordersStep(), range, cursor, 100, rowsPerSecond, maxChunks,
                BUDGET_MILLIS);
    }

    private static BackfillStep ordersStep() {
        return new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"), null, new TableRef(TARGET, "orders_v2"),
                List.of("id"), Map.of(), 100, 4, 0, BackfillRollback.DELETE_COPIED);
    }
}
