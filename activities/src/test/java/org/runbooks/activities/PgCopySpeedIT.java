package org.runbooks.activities;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.BackfillRequest;
import org.runbooks.activity.BackfillResult;
import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.activities.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.activities.PgDatabases.LEGACY;
import static org.runbooks.activities.PgDatabases.TARGET;

/**
 * The same rows copied on the same PostgreSQL, in the same run, once with {@code COPY} and once with batched
 * upserts, each into an empty table and then again over its own copy (every row a conflict). Logs rows/s of each
 * for the record; asserts only what must hold whatever the machine: both copies equal the source.
 */
class PgCopySpeedIT {

    private static final Logger log = LoggerFactory.getLogger(PgCopySpeedIT.class);
    private static final int ROWS = 200_000;
    private static final String COLUMNS = "(id bigint primary key, account_id bigint not null, kind varchar(20) not null,"
            + " amount numeric(12,2) not null, created_at timestamptz not null, payload text)";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void copyAndUpsertWriteTheSameRows() {
        PgDatabases db = new PgDatabases("copy_speed");
        db.execute(LEGACY, "create table events " + COLUMNS,
                "insert into events select g, g % 5003, case when g % 3 = 0 then 'debit' else 'credit' end,"
                        + " (g * 7919 % 1000000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds',"
                        + " case when g % 13 = 0 then null else repeat(md5(g::text), 3) end"
                        + " from generate_series(1, " + ROWS + ") g", "analyze events");
        db.execute(TARGET, "create table by_copy " + COLUMNS, "create table by_upsert " + COLUMNS);

        long copyEmpty = timed(db.registry, "by_copy", "1");
        long upsertEmpty = timed(db.upsertOnly(), "by_upsert", "1");
        long copyOver = timed(db.registry, "by_copy", "2");
        long upsertOver = timed(db.upsertOnly(), "by_upsert", "2");

        log.info("copy-speed: {} rows, chunkRows 10000, one key range. Into an empty table: COPY {} rows/s, upsert {}"
                + " rows/s ({}x). Over existing rows: COPY {} rows/s, upsert {} rows/s ({}x)", ROWS, copyEmpty,
                upsertEmpty, ratio(copyEmpty, upsertEmpty), copyOver, upsertOver, ratio(copyOver, upsertOver));
        String whole = "select md5(string_agg(rec::text, '|' order by id)) from %s rec";
        String source = db.scalar(LEGACY, whole.formatted("events"));
        assertThat(db.scalar(TARGET, whole.formatted("by_copy"))).isEqualTo(source);
        assertThat(db.scalar(TARGET, whole.formatted("by_upsert"))).isEqualTo(source);
    }

    /** Copies events into {@code table} as run {@code run} and returns rows per second. */
    private long timed(ConnectionRegistry registry, String table, String run) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        BackfillActivities backfill = env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
        BackfillStep step = new BackfillStep("copy-" + table, new TableRef(LEGACY, "events"), new TableRef(TARGET, table),
                List.of("id"), BackfillStep.DEFAULT_CHUNK_ROWS, BackfillRollback.DELETE_COPIED);
        long start = System.nanoTime();
        BackfillResult result = backfill.copyTable(new BackfillRequest("run-" + run + "/copy-" + table, "speed", step));
        long nanos = System.nanoTime() - start;
        assertThat(result.rowsCopied()).isEqualTo(ROWS);
        return ROWS * 1_000_000_000L / Math.max(1, nanos);
    }

    private static String ratio(long a, long b) {
        return String.format("%.1f", (double) a / Math.max(1, b));
    }
}
