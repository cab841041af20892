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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;
import static org.runbooks.jdbc.TwoDatabases.numbers;

class BackfillActivitiesImplTest {

    /** 2,500 orders with ids 3, 6, ... 7,500: keys with gaps, as real tables have. */
    private static final int ORDERS = 2_500;
    private static final int CHUNK_ROWS = 200;
    private static final String COPY_KEY = "run-1/copy-orders";

    private static final String ORDERS_COLUMNS = "id bigint primary key, customer varchar(100) not null,"
            + " amount decimal(12, 2) not null, placed_at timestamp not null, note varchar(200)";
    private static final String SOURCE_ROWS = "select id, customer, amount, placed_at, note from orders order by id";
    private static final String TARGET_ROWS = "select id, customer, amount, placed_at, note from orders_v2 order by id";
    private static final String CHUNK_AUDIT = "select chunk_no, first_key, last_key, row_count from runbook_copy_chunks"
            + " where copy_key = '" + COPY_KEY + "' order by chunk_no";

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private BackfillActivities backfill;
    private final List<BackfillCheckpoint> heartbeats = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (" + ORDERS_COLUMNS + ")",
                "insert into orders select x * 3, 'customer-' || mod(x, 97), x * 1.25,"
                        + " timestamp '2024-01-01 00:00:00' + x * interval '1' minute,"
                        + " case when mod(x, 10) = 0 then null else 'note ' || x || ' é' end"
                        + " from " + numbers(1, ORDERS));
        db.execute(TARGET, "create table orders_v2 (" + ORDERS_COLUMNS + ", migrated boolean default true)");
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        testEnv.setActivityHeartbeatListener(BackfillCheckpoint.class, heartbeats::add);
        backfill = testEnv.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void copiesEveryRowUnchangedInKeysetChunks() {
        BackfillResult result = backfill.copyTable(request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED)));

        assertThat(result).isEqualTo(new BackfillResult(ORDERS, 13, 0, List.of("3"), List.of("7500")));
        List<List<Object>> source = db.rows(LEGACY, SOURCE_ROWS);
        assertThat(source).hasSize(ORDERS);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(source);
    }

    @Test
    void recordsOneAuditRowPerChunkWithItsKeyRange() {
        backfill.copyTable(request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED)));

        List<List<Object>> chunks = db.rows(TARGET, CHUNK_AUDIT);
        assertThat(chunks).hasSize(13);
        for (int i = 0; i < 12; i++) {
            long firstId = (long) i * CHUNK_ROWS * 3 + 3;
            assertThat(chunks.get(i)).containsExactly((long) i + 1, "[\"" + firstId + "\"]",
                    "[\"" + (firstId + (CHUNK_ROWS - 1) * 3) + "\"]", CHUNK_ROWS);
        }
        assertThat(chunks.get(12)).containsExactly(13L, "[\"7203\"]", "[\"7500\"]", 100);
        assertThat(db.rows(TARGET, "select first_key, last_key, rows_copied, chunks, target_rows_before,"
                + " rolled_back from runbook_copy_progress where copy_key = '" + COPY_KEY + "'"))
                .containsExactly(List.of("[\"3\"]", "[\"7500\"]", (long) ORDERS, 13L, 0L, false));
    }

    @Test
    void heartbeatsTheCheckpointOfTheFirstCommittedChunk() {
        backfill.copyTable(request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED)));

        // Temporal throttles heartbeats, so a copy this fast reports its first checkpoint and no other.
        assertThat(heartbeats).first().isEqualTo(new BackfillCheckpoint(List.of("600"), List.of("3"), 200, 1, 0));
    }

    @Test
    void retryOfAFinishedCopyWritesNoNewChunkAndReturnsTheSameTotals() {
        BackfillRequest request = request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED));
        BackfillResult first = backfill.copyTable(request);
        List<List<Object>> auditAfterFirst = db.rows(TARGET, CHUNK_AUDIT + ", written_at");
        heartbeats.clear();

        BackfillResult retried = backfill.copyTable(request);

        assertThat(retried).isEqualTo(first);
        assertThat(db.rows(TARGET, CHUNK_AUDIT + ", written_at")).isEqualTo(auditAfterFirst);
        assertThat(heartbeats).as("no chunk, so no checkpoint").isEmpty();
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(ORDERS);
    }

    @Test
    void secondCallWithTheSameKeyCopiesOnlyRowsAfterTheLastCommittedKey() {
        BackfillRequest request = request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED));
        backfill.copyTable(request);
        // A row the first run committed, changed on the target since: a restart from the beginning would overwrite it.
        db.execute(TARGET, "update orders_v2 set note = 'changed after copy' where id = 3");
        db.execute(LEGACY, "insert into orders select x * 3, 'late', x, timestamp '2024-06-01 00:00:00', null"
                + " from " + numbers(ORDERS + 1, ORDERS + 300));

        BackfillResult resumed = backfill.copyTable(request);

        assertThat(resumed).isEqualTo(new BackfillResult(ORDERS + 300, 15, 0, List.of("3"), List.of("8400")));
        List<List<Object>> chunks = db.rows(TARGET, CHUNK_AUDIT);
        assertThat(chunks).extracting(c -> c.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L,
                12L, 13L, 14L, 15L);
        assertThat(chunks.get(13)).containsExactly(14L, "[\"7503\"]", "[\"8100\"]", 200);
        assertThat(chunks.get(14)).containsExactly(15L, "[\"8103\"]", "[\"8400\"]", 100);
        assertThat(db.rows(TARGET, "select note from orders_v2 where id = 3")).containsExactly(List.of("changed after copy"));
        assertThat(db.count(TARGET, "select count(*) from orders_v2 where id > 7500")).isEqualTo(300);
    }

    @Test
    void copyThatFailedMidwayResumesAfterItsLastCommittedChunk() {
        // The target refuses one row in the sixth chunk, as a crash there would: chunks 1-5 stay committed.
        db.execute(TARGET, "alter table orders_v2 add constraint no_poison check (customer <> 'poison')");
        db.execute(LEGACY, "update orders set customer = 'poison' where id = 3300");
        BackfillRequest request = request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED));

        ApplicationFailure refused = applicationFailureOf(() -> backfill.copyTable(request));

        assertThat(refused.getType()).isEqualTo("SqlError");
        assertThat(db.rows(TARGET, CHUNK_AUDIT)).extracting(c -> c.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(1_000);
        db.execute(TARGET, "alter table orders_v2 drop constraint no_poison");
        heartbeats.clear();

        BackfillResult resumed = backfill.copyTable(request);

        assertThat(resumed).isEqualTo(new BackfillResult(ORDERS, 13, 0, List.of("3"), List.of("7500")));
        assertThat(heartbeats.get(0)).isEqualTo(new BackfillCheckpoint(List.of("3600"), List.of("3"), 1_200, 6, 0));
        assertThat(db.rows(TARGET, CHUNK_AUDIT)).extracting(c -> c.get(0))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
    }

    @Test
    void copiesATableWithACompositeKeyInTupleOrder() {
        // Twelve tenants of 25 lines: numeric keys past 9 would sort wrongly if compared as text.
        db.execute(LEGACY, "create table order_lines (tenant_id int, line_no int, sku varchar(20), qty int,"
                        + " primary key (tenant_id, line_no))",
                "insert into order_lines select t.x, l.x, 'sku-' || t.x || '-' || l.x, t.x * l.x"
                        + " from " + numbers(1, 12) + " t cross join " + numbers(1, 25) + " l");
        db.execute(TARGET, "create table order_lines_v2 (tenant_id int, line_no int, sku varchar(20), qty int,"
                + " primary key (tenant_id, line_no))");
        BackfillStep step = new BackfillStep("copy-lines", new TableRef(LEGACY, "order_lines"),
                new TableRef(TARGET, "order_lines_v2"), List.of("tenant_id", "line_no"), 7,
                BackfillRollback.DELETE_COPIED);

        BackfillResult result = backfill.copyTable(request("run-1/copy-lines", step));

        assertThat(result).isEqualTo(new BackfillResult(300, 43, 0, List.of("1", "1"), List.of("12", "25")));
        assertThat(db.rows(TARGET, "select * from order_lines_v2 order by tenant_id, line_no"))
                .isEqualTo(db.rows(LEGACY, "select * from order_lines order by tenant_id, line_no"));
        assertThat(db.rows(TARGET, "select first_key, last_key from runbook_copy_chunks"
                + " where copy_key = 'run-1/copy-lines' and chunk_no = 2"))
                .containsExactly(List.of("[\"1\",\"8\"]", "[\"1\",\"14\"]"));

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows("run-1/copy-lines", step));

        assertThat(removed).isEqualTo("deleted 300 of 300 copied rows from target.order_lines_v2 (keys [1, 1] to [12, 25])");
        assertThat(db.count(TARGET, "select count(*) from order_lines_v2")).isZero();
    }

    @Test
    void rollbackDeletesExactlyTheCopiedRowsWhenTheTargetWasEmpty() {
        BackfillStep step = ordersStep(BackfillRollback.DELETE_COPIED);
        backfill.copyTable(request(COPY_KEY, step));
        // Rows written after the copy, outside the key range it wrote, are not the copy's to delete.
        db.execute(TARGET, "insert into orders_v2 (id, customer, amount, placed_at) values"
                + " (1, 'new', 1, timestamp '2024-07-01 00:00:00'), (9000, 'new', 1, timestamp '2024-07-01 00:00:00')");

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(removed).isEqualTo("deleted 2500 of 2500 copied rows from target.orders_v2 (keys [3] to [7500]);"
                + " kept 2 rows that the source does not hold as they are now (written or changed since the copy),"
                + " keys [1], [9000]");
        assertThat(db.rows(TARGET, "select id from orders_v2 order by id")).containsExactly(List.of(1L), List.of(9000L));
        assertThat(db.rows(TARGET, "select rolled_back from runbook_copy_progress where copy_key = '" + COPY_KEY + "'"))
                .containsExactly(List.of(true));
    }

    @Test
    void rollbackRunTwiceDeletesNothingMoreTheSecondTime() {
        BackfillStep step = ordersStep(BackfillRollback.DELETE_COPIED);
        backfill.copyTable(request(COPY_KEY, step));
        backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        String again = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(again).isEqualTo("deleted 2500 of 2500 copied rows from target.orders_v2 (keys [3] to [7500])");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isZero();
    }

    @Test
    void rollbackKeepsCopiedRowsWhenTheTargetHeldRowsBefore() {
        db.execute(TARGET, "insert into orders_v2 (id, customer, amount, placed_at) values"
                + " (3, 'already here', 9, timestamp '2023-01-01 00:00:00')");
        BackfillStep step = ordersStep(BackfillRollback.DELETE_COPIED);
        BackfillResult copied = backfill.copyTable(request(COPY_KEY, step));

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(copied.targetRowsBefore()).isEqualTo(1);
        assertThat(removed).isEqualTo("kept 2500 copied rows in target.orders_v2: the target held 1 rows before"
                + " the copy, so a delete could remove rows it did not write");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(ORDERS);
    }

    @Test
    void rollbackKeepsCopiedRowsWhenTheRunbookSaysKeep() {
        BackfillStep step = ordersStep(BackfillRollback.KEEP);
        backfill.copyTable(request(COPY_KEY, step));

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(removed).isEqualTo("kept 2500 copied rows in target.orders_v2: the runbook says onRollback: keep");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(ORDERS);
    }

    @Test
    void rollbackOfACopyThatNeverRanRemovesNothing() {
        db.execute(TARGET, "insert into orders_v2 (id, customer, amount, placed_at) values"
                + " (3, 'already here', 9, timestamp '2023-01-01 00:00:00')");

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows("run-1/never-started",
                ordersStep(BackfillRollback.DELETE_COPIED)));

        assertThat(removed).isEqualTo("nothing to remove: the copy wrote no chunk");
        assertThat(db.count(TARGET, "select count(*) from orders_v2")).isEqualTo(1);
    }

    @Test
    void unknownConnectionFailsWithoutRetry() {
        BackfillStep step = new BackfillStep("copy-orders", new TableRef("archive", "orders"),
                new TableRef(TARGET, "orders_v2"), List.of("id"), CHUNK_ROWS, BackfillRollback.DELETE_COPIED);

        ApplicationFailure failure = applicationFailureOf(() -> backfill.copyTable(request(COPY_KEY, step)));

        assertThat(failure.getType()).isEqualTo("UnknownConnection");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).startsWith("unknown connection 'archive'; this worker knows [legacy, target]");
    }

    @Test
    void unsafeTableNameIsRefusedBeforeAnyStatementRuns() {
        BackfillStep step = new BackfillStep("copy-orders", new TableRef(LEGACY, "orders; drop table orders"),
                new TableRef(TARGET, "orders_v2"), List.of("id"), CHUNK_ROWS, BackfillRollback.DELETE_COPIED);

        ApplicationFailure failure = applicationFailureOf(() -> backfill.copyTable(request(COPY_KEY, step)));

        assertThat(failure.getType()).isEqualTo("UnsafeIdentifier");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(db.count(LEGACY, "select count(*) from orders")).isEqualTo(ORDERS);
    }

    @Test
    void targetWithoutASourceColumnIsASchemaMismatch() {
        db.execute(TARGET, "alter table orders_v2 drop column note");

        ApplicationFailure failure = applicationFailureOf(
                () -> backfill.copyTable(request(COPY_KEY, ordersStep(BackfillRollback.DELETE_COPIED))));

        assertThat(failure.getType()).isEqualTo("SchemaMismatch");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).isEqualTo(
                "target target.orders_v2 lacks columns [note] that source legacy.orders has");
    }

    private static BackfillStep ordersStep(BackfillRollback onRollback) {
        return new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), CHUNK_ROWS, onRollback);
    }

    private static BackfillRequest request(String key, BackfillStep step) {
        return new BackfillRequest(key, "orders-to-v2", step);
    }
}
