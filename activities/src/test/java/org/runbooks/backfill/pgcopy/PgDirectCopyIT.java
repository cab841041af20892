package org.runbooks.backfill.pgcopy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.CopyPlan;
import org.runbooks.backfill.CopyPlanRequest;
import org.runbooks.backfill.SliceRequest;
import org.runbooks.backfill.SliceResult;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * When {@code COPY} goes straight into the target table on real PostgreSQL, and when it must not: every chunk of key
 * ranges cut on a composite key lands directly (each range's first chunk is probed within its own range, not
 * below it), a renamed mapping leaves the target's own columns to their defaults, and a row the emptiness probe
 * cannot see (a text key the target's collation orders elsewhere) is caught as a duplicate key, rolled back to the
 * chunk's savepoint and upserted.
 */
class PgDirectCopyIT {

    /**
     * Copies {@link #withItems}' table in 100-row chunks, one key range: a rate limit the copy never reaches keeps
     * every chunk at the configured size (only an unpaced copy's fast chunks grow past it).
     */
    private static final BackfillStep ITEMS = new BackfillStep("copy-items", new TableRef(LEGACY, "items"), null,
            new TableRef(TARGET, "items"), List.of("id"), Map.of(), 100, 1, 1_000_000_000L,
            BackfillRollback.DELETE_COPIED);

    private final List<TestActivityEnvironment> environments = new ArrayList<>();
    private final ListAppender<ILoggingEvent> copyLog = new ListAppender<>();

    @BeforeEach
    void setUp() {
        copyLog.start();
        ((Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).addAppender(copyLog);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).detachAppender(copyLog);
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void compositeKeyRangesCopyEveryChunkStraightIntoARenamedTable() {
        PgDatabases db = new PgDatabases("direct_composite");
        db.execute(LEGACY, "create table lines (tenant bigint, seq bigint, sku text not null, qty int,"
                        + " primary key (tenant, seq))",
                "insert into lines select t, s, 'sku-' || (t * s) % 97, s % 7 from generate_series(1, 4) t,"
                        + " generate_series(1, 500) s");
        db.execute(TARGET, "create table lines_v2 (tenant_id bigint, line_no bigint, sku text not null, qty int,"
                + " imported_at timestamptz not null default timestamptz '2000-01-01 00:00:00+00',"
                + " primary key (tenant_id, line_no))");
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        columns.put("tenant", "tenant_id");
        columns.put("seq", "line_no");
        columns.put("sku", "sku");
        columns.put("qty", "qty");
        BackfillStep step = new BackfillStep("copy-lines", new TableRef(LEGACY, "lines"), null,
                new TableRef(TARGET, "lines_v2"), List.of("tenant", "seq"), columns, 300, 2, 0,
                BackfillRollback.DELETE_COPIED);

        BackfillResult result = backfill(db).copyTable(new BackfillRequest("run-1/copy-lines", "direct", step));

        assertThat(result.rowsCopied()).isEqualTo(2000);
        assertThat(result.keyRanges()).isEqualTo(2);
        List<String> summaries = summaries();
        assertThat(summaries).hasSize(2).allMatch(s -> s.matches("\\d+ chunks straight into the table, 0 through.*"));
        assertThat(summaries.stream().mapToLong(s -> Long.parseLong(s.split(" ")[0])).sum())
                .isEqualTo(result.chunks()).as("each range in several chunks").isGreaterThan(result.keyRanges());
        assertThat(db.rows(TARGET, "select count(*), count(distinct imported_at), min(imported_at) = timestamptz"
                + " '2000-01-01 00:00:00+00' from lines_v2")).containsExactly(List.of("2000", "1", "t"));
        String rows = "select md5(string_agg(format('%%s/%%s/%%s/%%s', %1$s, %2$s, sku, qty), '|' order by %1$s, %2$s))"
                + " from %3$s";
        assertThat(db.scalar(TARGET, rows.formatted("tenant_id", "line_no", "lines_v2")))
                .isEqualTo(db.scalar(LEGACY, rows.formatted("tenant", "seq", "lines")));
    }

    @Test
    void aRowTheProbeCannotSeeIsCaughtAsADuplicateAndUpserted() {
        PgDatabases db = new PgDatabases("direct_collation");
        // In "C" upper case sorts first (A B a b); in ICU's root collation a < A < b < B.
        db.execute(LEGACY, "create table words (w text collate \"C\" primary key, n int)",
                "insert into words values ('A', 1), ('B', 2), ('a', 3), ('b', 4)");
        db.execute(TARGET, "create table words (w text collate \"und-x-icu\" primary key, n int)",
                "insert into words values ('a', 0)");
        BackfillStep step = new BackfillStep("copy-words", new TableRef(LEGACY, "words"), new TableRef(TARGET, "words"),
                List.of("w"), 2, BackfillRollback.DELETE_COPIED);

        BackfillResult result = backfill(db).copyTable(new BackfillRequest("run-1/copy-words", "direct", step));

        // Chunk ('-inf', 'B'] holds a on the target as ICU orders it: the probe sends it to staging. Chunk ('B', 'b']
        // holds nothing there (B sorts last), so COPY tries, and meets the a that the target already has.
        assertThat(summaries()).containsExactly("0 chunks straight into the table, 2 through the staging table"
                + " (1 into key intervals the target held rows in, 1 after a duplicate key); 0 of them copied with no"
                + " query for their bounds first");
        assertThat(result.rowsCopied()).isEqualTo(4);
        assertThat(result.lastKey()).containsExactly("b");
        assertThat(db.rows(TARGET, "select w, n::text from words order by w collate \"C\"")).containsExactly(
                List.of("A", "1"), List.of("B", "2"), List.of("a", "3"), List.of("b", "4"));
    }

    @Test
    void chunksIntoAnEmptyTableTakeTheirKeysFromTheRowsCopiedInBinaryAndInText() {
        PgDatabases db = new PgDatabases("direct_row_keys");
        // Keys with characters COPY's text format escapes, a quote and non-ASCII text; "C" orders them alike on both
        // sides. uuid and text keys travel in binary; varchar(40) into text makes that copy text.
        String keys = "select k, n from (select chr(64 + g % 26) || case g % 6 when 0 then E'\\t' when 1 then E'\\\\'"
                + " when 2 then E'\\n' when 3 then E'\\r' when 4 then '''' else 'é' end || g as k, g as n"
                + " from generate_series(1, 50) g) s";
        db.execute(LEGACY, "create table by_uuid (id uuid primary key, n int)",
                "insert into by_uuid select md5(g::text)::uuid, g from generate_series(1, 50) g",
                "create table by_text (k text collate \"C\" primary key, n int)", "insert into by_text " + keys,
                "create table by_varchar (k varchar(40) collate \"C\" primary key, n int)",
                "insert into by_varchar " + keys);
        db.execute(TARGET, "create table by_uuid (id uuid primary key, n int)",
                "create table by_text (k text collate \"C\" primary key, n int)",
                "create table by_varchar (k text collate \"C\" primary key, n int)");

        for (String table : List.of("by_uuid", "by_text", "by_varchar")) {
            String key = table.equals("by_uuid") ? "id" : "k";
            BackfillStep step = new BackfillStep("copy-" + table, new TableRef(LEGACY, table), null,
                    new TableRef(TARGET, table), List.of(key), Map.of(), 7, 1, 1_000_000_000L,
                    BackfillRollback.DELETE_COPIED);

            BackfillResult result = backfill(db).copyTable(new BackfillRequest("run-1/" + table, "row-keys", step));

            assertThat(summaries()).last().as(table).asString().matches("(\\d+) chunks straight into the table, 0"
                    + " through the staging table \\(0 into key intervals the target held rows in, 0 after a duplicate"
                    + " key\\); \\1 of them copied with no query for their bounds first");
            assertThat(result.rowsCopied()).as(table).isEqualTo(50);
            assertThat(result.chunks()).as(table).isGreaterThan(2);
            String rows = "select md5(string_agg(%1$s || '/' || n, '|' order by %1$s)) from %2$s";
            assertThat(db.scalar(TARGET, rows.formatted(key, table))).as(table)
                    .isEqualTo(db.scalar(LEGACY, rows.formatted(key, table)));
            List<String> sourceKeys = db.rows(LEGACY, "select %1$s::text from %2$s order by %1$s"
                    .formatted(key, table)).stream().map(row -> row.get(0)).toList();
            int next = 0;
            for (List<String> chunk : db.rows(TARGET, ("select first_key::json->>0, last_key::json->>0, row_count"
                    + " from runbook_copy_chunks where copy_key like '%%%s%%' order by chunk_no")
                    .formatted(table))) {
                int count = Integer.parseInt(chunk.get(2));
                assertThat(chunk.subList(0, 2)).as("%s: the checkpointed first and last key of a chunk of %d rows"
                        + " from row %d", table, count, next).containsExactly(sourceKeys.get(next),
                        sourceKeys.get(next + count - 1));
                next += count;
            }
            assertThat(next).as(table).isEqualTo(50);
        }
    }

    @Test
    void aSliceWhoseLastChunkEndsItsRangeReportsTheRangeDoneSoNoEmptySliceFollows() {
        PgDatabases db = withItems("direct_slice_end");
        BackfillStep step = ITEMS;
        BackfillActivities backfill = backfill(db);
        CopyPlan plan = backfill.planCopy(new CopyPlanRequest("run-1/copy-items", "slice-end", step, 1));

        SliceResult first = backfill.copySlice(new SliceRequest("run-1/copy-items", "slice-end", step,
                plan.ranges().get(0), plan.cursors().get(0), 100, step.rowsPerSecond(), 6, 60_000));
        SliceResult last = backfill.copySlice(new SliceRequest("run-1/copy-items", "slice-end", step,
                plan.ranges().get(0), first.cursor(), 100, step.rowsPerSecond(), 4, 60_000));

        assertThat(first.chunksWritten()).isEqualTo(6);
        assertThat(first.cursor().done()).as("600 of 1,000 rows copied: more follow").isFalse();
        assertThat(last.chunksWritten()).isEqualTo(4);
        assertThat(last.cursor().done()).as("the 4 chunks given were the range's last").isTrue();
        assertThat(last.cursor().rowsCopied()).isEqualTo(1000);
        assertThat(db.scalar(TARGET, "select count(*) from items")).isEqualTo("1000");
    }

    @Test
    void anUnpacedCopysFastChunksGrowPastTheConfiguredSizeEachCommittedWithItsCheckpoint() {
        PgDatabases db = withItems("direct_growth", 20_000);
        BackfillStep unpaced = new BackfillStep("copy-items", new TableRef(LEGACY, "items"), null,
                new TableRef(TARGET, "items"), List.of("id"), Map.of(), 100, 1, 0, BackfillRollback.DELETE_COPIED);

        BackfillResult result = backfill(db).copyTable(new BackfillRequest("run-1/copy-items", "growth", unpaced));

        List<Long> sizes = db.rows(TARGET, "select row_count from runbook_copy_chunks order by chunk_no").stream()
                .map(row -> Long.parseLong(row.get(0))).toList();
        assertThat(sizes.get(0)).as("the first chunk has the configured size").isEqualTo(100);
        assertThat(sizes).as("fast chunks grow, at most twofold per chunk, never past 64 times the configured size")
                .allMatch(rows -> rows <= 6_400).hasSizeLessThan(200 / 4);
        for (int i = 1; i < sizes.size() - 1; i++) {
            assertThat(sizes.get(i)).isLessThanOrEqualTo(2 * sizes.get(i - 1));
        }
        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertThat(result.rowsCopied()).isEqualTo(20_000);
        assertThat(result.chunks()).isEqualTo(sizes.size());
        assertThat(db.rows(TARGET, "select rows_copied, chunks = " + sizes.size() + ", last_key from"
                + " runbook_copy_progress")).as("the checkpoint committed with the last chunk")
                .containsExactly(List.of("20000", "t", "[\"20000\"]"));
        assertThat(db.scalar(TARGET, "select count(*) from items")).isEqualTo("20000");
    }

    @Test
    void theCopysEstimatedTotalComesFromTheTablesStatisticsOnceItHasThemAndFromACountBefore() {
        PgDatabases db = withItems("direct_estimate");
        BackfillStep step = ITEMS;
        BackfillActivities backfill = backfill(db);

        long counted = backfill.planCopy(new CopyPlanRequest("run-1/copy-items", "estimate", step, 1)).estimatedRows();
        db.execute(LEGACY, "analyze items", "insert into items select i, 'item-' || i from generate_series(1001, 1500) i");
        long estimated = backfill.planCopy(new CopyPlanRequest("run-2/copy-items", "estimate", step, 1)).estimatedRows();

        assertThat(counted).as("never analyzed: counted").isEqualTo(1000);
        assertThat(estimated).as("analyzed at 1,000 rows, 500 inserted since: the statistics' figure").isEqualTo(1000);
    }

    /** 1,000 items on the source, ids 1 to 1,000, and an empty table of the same shape on the target. */
    private static PgDatabases withItems(String name) {
        return withItems(name, 1000);
    }

    /** {@code rows} items on the source, ids 1 to {@code rows}, and an empty table of the same shape on the target. */
    private static PgDatabases withItems(String name, int rows) {
        PgDatabases db = new PgDatabases(name);
        db.execute(LEGACY, "create table items (id bigint primary key, name text)",
                "insert into items select i, 'item-' || i from generate_series(1, " + rows + ") i");
        db.execute(TARGET, "create table items (id bigint primary key, name text)");
        return db;
    }

    private BackfillActivities backfill(PgDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    /** How each range's chunks travelled, as its writer summed them up when it closed. */
    private List<String> summaries() {
        return copyLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(" chunks "))
                .map(m -> m.substring(m.indexOf(": ", m.indexOf(" range ")) + 2)).toList();
    }
}
