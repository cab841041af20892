package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.LagWindow;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * Keys and times on real MariaDB that do not survive a trip through the JVM's default time zone or through
 * {@code String.valueOf}: binary keys, {@code DATETIME}s in the hour that America/New_York skips, and
 * {@code TIMESTAMP}s read by sessions in different time zones. The build runs these tests a second time in a JVM
 * whose default zone is America/New_York (the {@code in-new-york} failsafe execution).
 */
class MariaDbTimeZoneIT {

    /** A session time zone five hours east of the target server's. */
    private static final String LEGACY_AT_PLUS_FIVE = "?sessionVariables=time_zone='+05:00'";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    @Timeout(120)
    void binaryKeysAreCheckpointedExactlyAndEveryRowIsCopiedOnce() {
        MariaDbDatabases db = new MariaDbDatabases("maria_tz_binary");
        String columns = "(k varbinary(16) primary key, v int not null)";
        db.execute(LEGACY, "create table blobs " + columns,
                "insert into blobs select unhex(md5(seq)), seq from seq_1_to_2500",
                "insert into blobs values (x'', 0), (x'00', -1), (x'ff', -2), (x'5b42', -3)");
        db.execute(TARGET, "create table blobs " + columns);

        BackfillResult result = backfill(db).copyTable(request("blobs", "k", 500));

        assertThat(result.rowsCopied()).isEqualTo(2504);
        assertThat(db.scalar(TARGET, "select count(*) from blobs")).isEqualTo("2504");
        assertThat(db.scalar(TARGET, rowsDigest("blobs", "concat(hex(k), '=', v)", "k")))
                .isEqualTo(db.scalar(LEGACY, rowsDigest("blobs", "concat(hex(k), '=', v)", "k")));
        assertThat(result.lastKey()).containsExactly(db.scalar(LEGACY, "select concat('\\\\x', lower(hex(max(k))))"
                + " from blobs"));
    }

    @Test
    @Timeout(120)
    void datetimesInTheHourNewYorkSkipsAreCopiedUnshifted() {
        MariaDbDatabases db = new MariaDbDatabases("maria_tz_gap");
        String columns = "(at datetime(6) primary key, also datetime, v int not null)";
        // Every 10 minutes from 00:00 to 05:00 on the day America/New_York (and so this JVM, in the in-new-york
        // execution) skips from 02:00 to 03:00: 02:30 must not become 03:30 and overwrite the row that is 03:30.
        db.execute(LEGACY, "create table events " + columns,
                "insert into events select timestamp '2024-03-10 00:00:00' + interval seq * 10 minute,"
                        + " timestamp '2024-03-10 00:00:00' + interval seq * 10 minute, seq from seq_0_to_30");
        db.execute(TARGET, "create table events " + columns);

        backfill(db).copyTable(request("events", "at", 4));

        String digest = rowsDigest("events", "concat(at, '/', also, '=', v)", "at");
        assertThat(db.scalar(TARGET, "select count(*) from events"))
                .as(db.scalar(TARGET, "select group_concat(at, '/', also, '=', v order by at) from events"))
                .isEqualTo("31");
        assertThat(db.scalar(TARGET, "select v from events where at = '2024-03-10 02:30:00'")).isEqualTo("15");
        assertThat(db.scalar(TARGET, digest)).isEqualTo(db.scalar(LEGACY, digest));
    }

    @Test
    void timestampInstantsSurviveACopyBetweenSessionsInDifferentTimeZones() {
        MariaDbDatabases db = new MariaDbDatabases("maria_tz_copy", LEGACY_AT_PLUS_FIVE);
        String columns = "(id int primary key, at timestamp(6) null)";
        db.execute(LEGACY, "create table stamps " + columns,
                "insert into stamps select seq, from_unixtime(1704067200 + seq * 3607.25) from seq_1_to_100");
        db.execute(TARGET, "create table stamps " + columns);

        backfill(db).copyTable(request("stamps", "id", 30));
        ValidationReport report = validation(db).compare(parity("stamps"));

        String instants = rowsDigest("stamps", "concat(id, '@', unix_timestamp(at))", "id");
        assertThat(db.scalar(TARGET, instants)).isEqualTo(db.scalar(LEGACY, instants));
        assertThat(report.passed()).as(report.detail()).isTrue();
    }

    @Test
    void validationComparesTimestampInstantsNotEachSessionsRendering() {
        MariaDbDatabases db = new MariaDbDatabases("maria_tz_validate", LEGACY_AT_PLUS_FIVE);
        String columns = "(id int primary key, at timestamp null)";
        // Row 2 is five hours later on the target: rendered in each side's own session zone, both read 05:00.
        db.execute(LEGACY, "create table stamps " + columns,
                "insert into stamps values (1, from_unixtime(1704067200)), (2, from_unixtime(1704067200))");
        db.execute(TARGET, "create table stamps " + columns,
                "insert into stamps values (1, from_unixtime(1704067200)), (2, from_unixtime(1704085200))");

        ValidationReport report = validation(db).compare(parity("stamps"));

        assertThat(report.passed()).isFalse();
        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(), List.of(),
                List.of(List.of("2")), false));
    }

    @Test
    void aLagWindowOnADatetimeColumnLeavesOutOnlyRecentRows() {
        MariaDbDatabases db = new MariaDbDatabases("maria_tz_lag");
        String columns = "(id int primary key, amount int, updated_at datetime(6))";
        // Changed three hours ago, in UTC (the zone the worker reads such columns in): not in flight.
        String rows = "insert into orders select seq, seq, timestamp '" + PgTimeZoneIT.threeHoursAgoInUtc() + "'"
                + " from seq_1_to_200";
        db.execute(LEGACY, "create table orders " + columns, rows, "update orders set amount = -1 where id = 7");
        db.execute(TARGET, "create table orders " + columns, rows);

        ValidationReport report = validation(db).compare(new ValidateStep("parity", new TableRef(LEGACY, "orders"),
                new TableRef(TARGET, "orders"), List.of("id"), 0, true, List.of(), List.of(), null,
                new LagWindow("updated_at", Duration.ofMinutes(5))));

        assertThat(report.sourceRows()).isEqualTo(200);
        assertThat(report.passed()).isFalse();
        assertThat(report.differences().changed()).containsExactly(List.of("7"));
    }

    /** The md5 of every row's {@code expression}, in key order: equal only when every row is. */
    private static String rowsDigest(String table, String expression, String key) {
        return "select md5(group_concat(" + expression + " order by " + key + " separator '|')) from " + table;
    }

    private static BackfillRequest request(String table, String key, int chunkRows) {
        BackfillStep step = new BackfillStep("copy-" + table, new TableRef(LEGACY, table), new TableRef(TARGET, table),
                List.of(key), chunkRows, BackfillRollback.DELETE_COPIED);
        return new BackfillRequest("run-1/copy-" + table, "time-zones", step);
    }

    private static ValidateStep parity(String table) {
        return new ValidateStep("parity", new TableRef(LEGACY, table), new TableRef(TARGET, table), List.of("id"), 0,
                true);
    }

    private BackfillActivities backfill(MariaDbDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    private ValidationActivities validation(MariaDbDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry));
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }
}
