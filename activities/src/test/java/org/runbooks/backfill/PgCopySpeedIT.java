package org.runbooks.backfill;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.runbooks.backfill.pgcopy.PgCopyChunkWriter;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * The same rows copied on the same PostgreSQL, in the same run, every way the copy can go: {@code COPY} straight
 * into the table, {@code COPY} through the staging table (a query source always goes that way), batched upserts,
 * and, as the yardstick, one raw {@code COPY} of the whole table in one transaction. Then again over each copy's own
 * rows (every chunk a conflict, so the direct path must hand every chunk to the staging path). Logs rows/s of each
 * for the record; asserts only what must hold whatever the machine: which path each copy took, and that every copy
 * equals the source. An untimed copy first warms the JVM up, as a worker that has copied before is.
 */
class PgCopySpeedIT {

    private static final Logger log = LoggerFactory.getLogger(PgCopySpeedIT.class);
    private static final int ROWS = 200_000;
    private static final int CHUNKS = ROWS / BackfillStep.DEFAULT_CHUNK_ROWS;
    private static final String COLUMNS = "(id bigint primary key, account_id bigint not null, kind varchar(20) not null,"
            + " amount numeric(12,2) not null, created_at timestamptz not null, payload text)";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();
    private final ListAppender<ILoggingEvent> copyLog = new ListAppender<>();

    @BeforeEach
    void setUp() {
        copyLog.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).addAppender(copyLog);
    }

    @AfterEach
    void tearDown() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).detachAppender(copyLog);
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void everyPathWritesTheSameRows() throws Exception {
        PgDatabases db = new PgDatabases("copy_speed");
        db.execute(LEGACY, "create table events " + COLUMNS,
                "insert into events select g, g % 5003, case when g % 3 = 0 then 'debit' else 'credit' end,"
                        + " (g * 7919 % 1000000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds',"
                        + " case when g % 13 = 0 then null else repeat(md5(g::text), 3) end"
                        + " from generate_series(1, " + ROWS + ") g", "vacuum analyze events");
        db.execute(TARGET, "create table by_raw " + COLUMNS, "create table by_direct " + COLUMNS,
                "create table by_staging " + COLUMNS, "create table by_upsert " + COLUMNS);

        db.execute(TARGET, "create table warm_up " + COLUMNS);
        timed(db.registry, table("warm_up"), "0");
        long raw = rawCopy(db);
        long direct = timed(db.registry, table("by_direct"), "1");
        assertThat(lastSummary()).as("into an empty table, no chunk's bounds read first")
                .matches("(\\d+) chunks straight into the table, 0 .*; \\1 of them copied with no query for their"
                        + " bounds first");
        int chunks = Integer.parseInt(lastSummary().split(" ")[0]);
        assertThat(chunks).as("fast chunks grow past the configured 10,000 rows").isLessThan(CHUNKS);
        long staging = timed(db.registry, query("by_staging"), "1");
        assertThat(lastSummary()).matches("\\d+ chunks through the staging table");
        long upsert = timed(db.upsertOnly(), table("by_upsert"), "1");
        long directOver = timed(db.registry, table("by_direct"), "2");
        assertThat(lastSummary()).as("over its own rows").matches("0 chunks straight into the table, (\\d+) through"
                + " the staging table \\(\\1 into key intervals the target held rows in, 0 after a duplicate key\\); 0 of"
                + " them copied with no query for their bounds first");
        long upsertOver = timed(db.upsertOnly(), table("by_upsert"), "2");

        log.info("copy-speed: {} rows, chunkRows 10000 (fast chunks grow past it), one key range. Raw COPY in one transaction {} rows/s. Into an"
                + " empty table: direct COPY {} rows/s ({} of raw), COPY through staging {} rows/s, upsert {} rows/s"
                + " (direct {}x staging, {}x upsert). Over existing rows: COPY {} rows/s, upsert {} rows/s ({}x)",
                ROWS, raw, direct, ratio(direct, raw), staging, upsert, ratio(direct, staging), ratio(direct, upsert),
                directOver, upsertOver, ratio(directOver, upsertOver));
        String whole = "select md5(string_agg(rec::text, '|' order by id)) from %s rec";
        String source = db.scalar(LEGACY, whole.formatted("events"));
        for (String table : List.of("by_raw", "by_direct", "by_staging", "by_upsert")) {
            assertThat(db.scalar(TARGET, whole.formatted(table))).as(table).isEqualTo(source);
        }
    }

    /** The yardstick: the whole table in one COPY, binary, in one transaction, as a psql pipe would move it. */
    private long rawCopy(PgDatabases db) throws Exception {
        try (Connection source = db.registry.open(LEGACY); Connection target = db.registry.open(TARGET)) {
            long start = System.nanoTime();
            try (PGCopyInputStream rows = new PGCopyInputStream(source.unwrap(PGConnection.class),
                    "copy events to stdout (format binary)")) {
                target.unwrap(PGConnection.class).getCopyAPI().copyIn("copy by_raw from stdin (format binary)", rows,
                        65_536);
            }
            target.commit();
            source.commit();
            return ROWS * 1_000_000_000L / Math.max(1, System.nanoTime() - start);
        }
    }

    private static BackfillStep table(String target) {
        return new BackfillStep("copy-" + target, new TableRef(LEGACY, "events"), new TableRef(TARGET, target),
                List.of("id"), BackfillStep.DEFAULT_CHUNK_ROWS, BackfillRollback.DELETE_COPIED);
    }

    private static BackfillStep query(String target) {
        return new BackfillStep("copy-" + target, new TableRef(LEGACY, null), "select * from events",
                new TableRef(TARGET, target), List.of("id"), Map.of(), BackfillStep.DEFAULT_CHUNK_ROWS, 1, 0,
                BackfillRollback.DELETE_COPIED);
    }

    /** Copies as run {@code run} of {@code step} and returns rows per second. */
    private long timed(ConnectionRegistry registry, BackfillStep step, String run) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        BackfillActivities backfill = env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
        long start = System.nanoTime();
        BackfillResult result = backfill.copyTable(new BackfillRequest("run-" + run + "/" + step.id(), "speed", step));
        long nanos = System.nanoTime() - start;
        assertThat(result.rowsCopied()).isEqualTo(ROWS);
        return ROWS * 1_000_000_000L / Math.max(1, nanos);
    }

    /** How the last copy's chunks travelled, as the writer summed them up when it closed. */
    private String lastSummary() {
        List<String> summaries = copyLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(" chunks ")).map(m -> m.replaceAll("^.* range all keys: ", "")).toList();
        assertThat(summaries).isNotEmpty();
        return summaries.get(summaries.size() - 1);
    }

    private static String ratio(long a, long b) {
        return String.format("%.2f", (double) a / Math.max(1, b));
    }
}
