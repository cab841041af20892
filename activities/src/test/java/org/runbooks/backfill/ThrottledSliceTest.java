package org.runbooks.backfill;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ThrottleReading;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.BackfillThrottle;
import org.runbooks.model.TableRef;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;

/**
 * A slice of a copy with a throttle probe (a query on a table of the target), on H2: a high reading holds the slice
 * without writing, halving the chunk size, until it ends to report; a low one lets the next slice write chunks that
 * grow back, step by step, to the configured size.
 */
class ThrottledSliceTest {

    private static final String COPY_KEY = "run-7/copy-orders";
    private static final String CHUNKS = "select row_count from runbook_copy_chunks order by chunk_no";

    private final BackfillFixture fixture = new BackfillFixture().withOrders(3_000);
    private final TwoDatabases db = fixture.db;
    private final BackfillActivities backfill = fixture.copier().backfill();

    ThrottledSliceTest() {
        db.execute(TARGET, "create table orders_v2 (" + BackfillFixture.ORDERS_COLUMNS + ")",
                "create table replica_lag (lag_ms int)", "insert into replica_lag values (900)");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aHighProbeHoldsAndHalvesTheChunkAndALowOneGrowsItBack() {
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "rb", step(), 1));

        SliceResult held = backfill.copySlice(slice(plan, null));

        assertThat(held.rowsWritten()).isZero();
        assertThat(held.done()).isFalse();
        ThrottleReading reading = held.throttle();
        assertThat(reading.throttled()).isTrue();
        assertThat(reading.lastValue()).isEqualTo(900.0);
        assertThat(reading.throttledMillis()).isBetween(Throttle.REPORT_AFTER_MILLIS - 100, 9_000L);
        assertThat(reading.chunkRows()).as("halved at each reading: 1000, 500, 250, 125, 100").isEqualTo(100);
        assertThat(reading.configuredChunkRows()).isEqualTo(1_000);

        db.execute(TARGET, "update replica_lag set lag_ms = 20");
        SliceResult going = backfill.copySlice(slice(plan, reading.chunkRows()));

        assertThat(going.throttle().throttled()).isFalse();
        assertThat(going.throttle().lastValue()).isEqualTo(20.0);
        assertThat(db.rows(TARGET, CHUNKS)).extracting(row -> ((Number) row.get(0)).intValue())
                .as("a tenth of 1,000 added back per healthy reading; the last chunk is what is left")
                .containsExactly(200, 300, 400, 500, 600, 700, 300);
        assertThat(going.done()).isTrue();
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(3_000);
    }

    @Test
    void aProbeThatFailsHoldsTheCopyAndSaysWhy() {
        db.execute(TARGET, "drop table replica_lag");
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest(COPY_KEY, "rb", step(), 1));

        SliceResult held = backfill.copySlice(slice(plan, null));

        assertThat(held.rowsWritten()).isZero();
        assertThat(held.throttle().throttled()).isTrue();
        assertThat(held.throttle().lastValue()).isNull();
        assertThat(held.throttle().problem()).startsWith("the probe query on target failed");
    }

    private static SliceRequest slice(CopyPlan plan, Integer throttledChunkRows) {
        return new SliceRequest(COPY_KEY, "rb", step(), plan.ranges().get(0), null, 1_000, 0, 50, 60_000,
                throttledChunkRows);
    }

    private static BackfillStep step() {
        return new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"), null, new TableRef(TARGET,
                "orders_v2"), List.of("id"), Map.of(), 1_000, 1, 0, BackfillRollback.DELETE_COPIED,
                new BackfillThrottle("select lag_ms from replica_lag", TARGET, 500));
    }
}
