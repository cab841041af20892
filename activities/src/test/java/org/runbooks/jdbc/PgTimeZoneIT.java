package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.LagWindow;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Keys and times on real PostgreSQL that do not survive a trip through the JVM's default time zone or through
 * {@code String.valueOf}, copied with batched upserts (connections that hide PgJDBC's COPY API): {@code bytea} keys,
 * {@code timestamptz} keys across the hour America/New_York repeats, {@code timestamp}s in the hour it skips, and a
 * lag window on a {@code timestamp} column. The build runs these tests a second time in a JVM whose default zone is
 * America/New_York (the {@code in-new-york} failsafe execution).
 */
class PgTimeZoneIT {

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    @Timeout(120)
    void byteaKeysAreCheckpointedExactlyAndEveryRowIsCopiedOnce() {
        PgDatabases db = new PgDatabases("pg_tz_bytea");
        String columns = "(k bytea primary key, v int not null)";
        db.execute(LEGACY, "create table blobs " + columns,
                "insert into blobs select decode(md5(g::text), 'hex'), g from generate_series(1, 2500) g",
                "insert into blobs values ('\\x', 0), ('\\x00', -1), ('\\xff', -2), ('\\x5b42', -3)");
        db.execute(TARGET, "create table blobs " + columns);

        BackfillResult result = backfill(db.upsertOnly()).copyTable(request("blobs", "k", 500));

        assertThat(result.rowsCopied()).isEqualTo(2504);
        assertSameRows(db, "blobs", "k");
        assertThat(result.lastKey()).containsExactly(db.scalar(LEGACY, "select k::text from blobs order by k desc limit 1"));
    }

    @Test
    @Timeout(120)
    void timestamptzKeysAcrossTheRepeatedHourAreEachCopiedOnce() {
        PgDatabases db = new PgDatabases("pg_tz_fallback");
        String columns = "(at timestamptz primary key, v int not null)";
        // Every minute from 00:00 EDT to 03:00 EST on the night America/New_York goes through 01:00-02:00 twice;
        // chunks of 50 end inside the first and the second 01:xx.
        db.execute(LEGACY, "create table events " + columns,
                "insert into events select t, row_number() over (order by t) from generate_series("
                        + "timestamptz '2024-11-03 04:00:00+00', timestamptz '2024-11-03 08:00:00+00',"
                        + " interval '1 minute') t");
        db.execute(TARGET, "create table events " + columns);

        BackfillResult result = backfill(db.upsertOnly()).copyTable(request("events", "at", 50));

        assertThat(db.scalar(TARGET, "select count(*) from events")).isEqualTo("241");
        assertThat(result.rowsCopied()).isEqualTo(241);
        assertSameRows(db, "events", "at");
    }

    @Test
    @Timeout(120)
    void aCheckpointAnOldWorkerKeptInItsZonesTimeResumesWithoutSkippingARow() {
        PgDatabases db = copiedByAnOldWorkerInTokyo("pg_tz_legacy");

        backfill(db.upsertOnly()).copyTable(request("events", "at", 50));

        assertThat(db.scalar(TARGET, "select count(*) from events")).isEqualTo("1441");
        assertSameRows(db, "events", "at");
    }

    @Test
    @Timeout(120)
    void aCopyAnOldWorkerCheckpointedInItsZonesTimeIsRolledBackWhole() {
        PgDatabases db = copiedByAnOldWorkerInTokyo("pg_tz_legacy_undo");
        BackfillRequest copy = request("events", "at", 50);

        String log = backfill(db.upsertOnly()).removeCopiedRows(new RemoveCopiedRows(copy.idempotencyKey(), copy.step()));

        assertThat(log).startsWith("deleted 300 of 300 copied rows");
        assertThat(db.scalar(TARGET, "select count(*) from events")).isEqualTo("0");
    }

    /**
     * A day of minutes on the source, of which a worker from before the fix, in a JVM in Tokyo (UTC+9), copied the
     * first 300 (to 04:59 UTC) and kept the keys as String.valueOf(Timestamp): Tokyo's wall-clock time, no offset.
     * Read as UTC, its last key is 9 hours after the last row copied, and its first key 9 hours after the first.
     */
    private static PgDatabases copiedByAnOldWorkerInTokyo(String name) {
        PgDatabases db = new PgDatabases(name);
        String columns = "(at timestamptz primary key, v int not null)";
        String minutes = "select t, row_number() over (order by t) from generate_series("
                + "timestamptz '2024-11-03 00:00:00+00', timestamptz '2024-11-04 00:00:00+00', interval '1 minute') t"
                + " order by t";
        db.execute(LEGACY, "create table events " + columns, "insert into events " + minutes);
        Instant first = Instant.parse("2024-11-03T00:00:00Z");
        Instant last = Instant.parse("2024-11-03T04:59:00Z");
        db.execute(TARGET, "create table events " + columns, "insert into events " + minutes + " limit 300",
                "create table runbook_copy_progress (copy_key varchar(512) primary key,"
                        + " target_table varchar(200) not null, first_key varchar(4000), last_key varchar(4000),"
                        + " rows_copied bigint not null, chunks bigint not null, target_rows_before bigint not null,"
                        + " rolled_back boolean not null default false,"
                        + " updated_at timestamp not null default current_timestamp)",
                "insert into runbook_copy_progress (copy_key, target_table, first_key, last_key, rows_copied, chunks,"
                        + " target_rows_before) values ('run-1/copy-events', 'events', '[\"" + inTokyo(first)
                        + "\"]', '[\"" + inTokyo(last) + "\"]', 300, 6, 0)");
        assertThat(inTokyo(last)).isEqualTo("2024-11-03 13:59:00.0");
        return db;
    }

    /** A time as a worker JVM in Tokyo rendered it with {@code String.valueOf(java.sql.Timestamp)}. */
    private static String inTokyo(Instant instant) {
        return String.valueOf(Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneId.of("Asia/Tokyo"))));
    }

    @Test
    @Timeout(120)
    void timestampsInTheHourNewYorkSkipsAreCopiedUnshifted() {
        PgDatabases db = new PgDatabases("pg_tz_gap");
        String columns = "(at timestamp primary key, also timestamp, v int not null)";
        db.execute(LEGACY, "create table events " + columns,
                "insert into events select t, t, row_number() over (order by t) from generate_series("
                        + "timestamp '2024-03-10 00:00:00', timestamp '2024-03-10 05:00:00', interval '10 minutes') t");
        db.execute(TARGET, "create table events " + columns);

        backfill(db.upsertOnly()).copyTable(request("events", "at", 4));

        assertThat(db.scalar(TARGET, "select count(*) from events")).isEqualTo("31");
        assertThat(db.scalar(TARGET, "select v from events where at = '2024-03-10 02:30'")).isEqualTo("16");
        assertSameRows(db, "events", "at");
    }

    @Test
    void aLagWindowOnATimestampColumnLeavesOutOnlyRecentRows() {
        PgDatabases db = new PgDatabases("pg_tz_lag");
        String columns = "(id int primary key, amount int, updated_at timestamp)";
        // Changed three hours ago, in UTC (the zone the worker reads such columns in): not in flight.
        String rows = "insert into orders select g, g, timestamp '" + threeHoursAgoInUtc() + "'"
                + " from generate_series(1, 200) g";
        db.execute(LEGACY, "create table orders " + columns, rows, "update orders set amount = -1 where id = 7");
        db.execute(TARGET, "create table orders " + columns, rows);

        ValidationReport report = validation(db.registry).compare(new ValidateStep("parity",
                new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders"), List.of("id"), 0, true, List.of(),
                List.of(), null, new LagWindow("updated_at", Duration.ofMinutes(5))));

        assertThat(report.sourceRows()).isEqualTo(200);
        assertThat(report.passed()).isFalse();
        assertThat(report.differences().changed()).containsExactly(List.of("7"));
    }

    static String threeHoursAgoInUtc() {
        return LocalDateTime.now(ZoneOffset.UTC).minusHours(3)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    /** Equal row count, and every row's text (as PostgreSQL renders it, in this JVM's zone on both sides) too. */
    private static void assertSameRows(PgDatabases db, String table, String key) {
        String all = "select count(*) || ':' || md5(string_agg(rec::text, '|' order by " + key
                + ")) from " + table + " rec";
        assertThat(db.scalar(TARGET, all)).isEqualTo(db.scalar(LEGACY, all));
    }

    private static BackfillRequest request(String table, String key, int chunkRows) {
        BackfillStep step = new BackfillStep("copy-" + table, new TableRef(LEGACY, table), new TableRef(TARGET, table),
                List.of(key), chunkRows, BackfillRollback.DELETE_COPIED);
        return new BackfillRequest("run-1/copy-" + table, "time-zones", step);
    }

    private BackfillActivities backfill(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    private ValidationActivities validation(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(registry));
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }
}
