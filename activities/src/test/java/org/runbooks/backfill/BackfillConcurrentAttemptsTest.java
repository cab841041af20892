package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

/**
 * Two attempts of one copy at once (a worker that lost its heartbeat but still runs, beside its retry): the one
 * that finds the bookkeeping moved under it fails retryably, and writes nothing.
 */
class BackfillConcurrentAttemptsTest {

    private static final String COPY_KEY = "run-3/copy-orders";

    private final BackfillFixture fixture = new BackfillFixture().withOrders(1_000);
    private final TwoDatabases db = fixture.db;

    BackfillConcurrentAttemptsTest() {
        db.execute(TARGET, "create table orders_v2 (" + BackfillFixture.ORDERS_COLUMNS + ")");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void progressMovedByAnotherAttemptStopsThisOneBeforeItsNextChunkCommits() {
        BackfillFixture.Copier copier = fixture.copier();
        // At the first checkpoint, another attempt commits a chunk of its own.
        copier.env().setActivityHeartbeatListener(BackfillCheckpoint.class, checkpoint -> db.execute(TARGET,
                "update runbook_copy_progress set chunks = chunks + 1 where copy_key = '" + COPY_KEY + "'"));

        ApplicationFailure failure = applicationFailureOf(() -> copier.backfill().copyTable(request(1)));

        assertThat(failure.getType()).isEqualTo("ConcurrentCopy");
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).as("only the first chunk").isEqualTo(100);
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(100);
    }

    @Test
    void copyRecordedByAnotherAttemptWhileThisOnePlannedFailsRetryably() {
        db.execute(TARGET, "create table if not exists runbook_copy_progress (copy_key varchar(512) primary key,"
                        + " target_table varchar(200) not null, first_key varchar(4000), last_key varchar(4000),"
                        + " rows_copied bigint not null, chunks bigint not null, target_rows_before bigint not null,"
                        + " rolled_back boolean not null default false, updated_at timestamp not null default current_timestamp)",
                "insert into runbook_copy_progress (copy_key, target_table, rows_copied, chunks, target_rows_before)"
                        + " values ('" + COPY_KEY + "#range-2-of-4', 'orders_v2', 0, 0, 0)");

        ApplicationFailure failure = applicationFailureOf(() -> fixture.copier().backfill().copyTable(request(4)));

        assertThat(failure.getType()).isEqualTo("ConcurrentCopy");
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(db.count(TARGET, "select count(*) from runbook_copy_ranges")).as("planned all or nothing").isZero();
        assertThat(db.count(TARGET, "select count(*) from runbook_copy_progress")).isEqualTo(1);
    }

    private static BackfillRequest request(int parallelism) {
        return new BackfillRequest(COPY_KEY, "orders-to-v2", new BackfillStep("copy-orders",
                new TableRef(LEGACY, "orders"), null, new TableRef(TARGET, "orders_v2"), List.of("id"), Map.of(),
                100, parallelism, 0, BackfillRollback.DELETE_COPIED));
    }
}
