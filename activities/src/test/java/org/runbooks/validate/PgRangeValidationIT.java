package org.runbooks.validate;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.PgTypeRoundTripIT;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Validation's in-database checksums on real PostgreSQL: every common type hashes alike on both sides after a
 * copy, three planted differences are reported as exactly their keys, columns hashed as stored agree across widened
 * types yet show every change, and on a larger table the segmented checksum is timed against streaming every row
 * into one SHA-256 (logged for the record).
 */
class PgRangeValidationIT {

    private static final Logger log = LoggerFactory.getLogger(PgRangeValidationIT.class);
    private static final int EVENTS = 500_000;

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void copiedTypesAgreeAndThreePlantedDifferencesAreReportedAsTheirKeys() {
        PgDatabases db = new PgDatabases("validate_types");
        db.execute(LEGACY, PgTypeRoundTripIT.MOOD, "create table built_in " + PgTypeRoundTripIT.BUILT_IN_COLUMNS,
                "insert into built_in (id, t) values (1, null), (2, E'\\u00fc \\x01 \"q\" ''s''')",
                "insert into built_in (id, t, n38, tstz, jb, ia, m, ba) select g, 'row ' || g,"
                        + " g::numeric * 1e30, timestamptz '2024-01-01 00:00:00+00' + g * interval '1.000001 s',"
                        + " jsonb_build_object('g', g), array[g, null], 'ok', sha256(g::text::bytea)"
                        + " from generate_series(3, 30000) g");
        db.execute(TARGET, PgTypeRoundTripIT.MOOD, "create table built_in " + PgTypeRoundTripIT.BUILT_IN_COLUMNS);
        backfill(db).copyTable(new BackfillRequest("run-1/copy", "validate", new BackfillStep("copy",
                new TableRef(LEGACY, "built_in"), new TableRef(TARGET, "built_in"), List.of("id"), 10_000,
                BackfillRollback.DELETE_COPIED)));
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "built_in"),
                new TableRef(TARGET, "built_in"), List.of("id"), 0, true);

        ValidationReport equal = validation(db).compare(parity);
        db.execute(TARGET, "update built_in set tstz = tstz + interval '1 microsecond' where id = 12345",
                "delete from built_in where id = 2", "insert into built_in (id) values (30001)");
        ValidationReport planted = validation(db).compare(parity);

        assertThat(equal.passed()).as(equal.detail()).isTrue();
        assertThat(planted.differences()).isEqualTo(new KeyDifferences(List.of(List.of("2")),
                List.of(List.of("30001")), List.of(List.of("12345")), false));
    }

    @Test
    void columnsHashedAsStoredCompareValuesAcrossWidenedTypesAndStillSeeEveryChange() {
        PgDatabases db = new PgDatabases("validate_typed");
        String values = "select g, 'Row ' || g, left(md5(g::text), 4), g / 4.0, timestamptz '2024-01-01 00:00:00+00'"
                + " + g * interval '1.000001 s', (array['sad', 'ok']::mood[])[1 + g % 2], json_build_object('g', g),"
                + " g % 2 = 0, md5(g::text)::uuid from generate_series(1, 3000) g";
        db.execute(LEGACY, PgTypeRoundTripIT.MOOD, "create table typed (id integer primary key, name varchar(20),"
                + " code char(4), amount numeric(12, 2), at timestamptz, m mood, doc json, flag boolean, u uuid)",
                "insert into typed " + values);
        db.execute(TARGET, PgTypeRoundTripIT.MOOD, "create table typed (id bigint primary key, name text,"
                + " code char(4), amount numeric, at timestamptz, m mood, doc json, flag boolean, u uuid)",
                "insert into typed " + values);
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "typed"), new TableRef(TARGET, "typed"),
                List.of("id"), 0, true);

        ValidationReport widened = validation(db).compare(parity);
        db.execute(TARGET, "update typed set name = upper(name) where id = 10",
                "update typed set at = at + interval '1 microsecond' where id = 20",
                "update typed set m = case m when 'ok' then 'sad'::mood else 'ok'::mood end where id = 30",
                "update typed set code = 'zzzz' where id = 40", "update typed set flag = not flag where id = 50",
                "update typed set doc = '{\"g\":60}' where id = 60",
                "update typed set amount = 17.5000 where id = 70");
        ValidationReport changed = validation(db).compare(parity);

        assertThat(widened.passed()).as(widened.detail()).isTrue();
        assertThat(changed.differences().changed()).as("70 holds the same number, written with more digits")
                .containsExactly(List.of("10"), List.of("20"), List.of("30"), List.of("40"), List.of("50"),
                        List.of("60"));
    }

    @Test
    void aRenamedColumnIsComparedThroughTheBackfillsMapping() {
        PgDatabases db = accounts("validate_mapped", "");
        db.execute(TARGET, "update accounts_v2 set balance_cents = 0 where id % 2 = 0");

        ValidationReport report = validation(db).compare(validateStep(""));

        assertThat(report.passed()).as(report.detail()).isFalse();
        assertThat(report.differences().changed()).startsWith(List.of("2"), List.of("4"), List.of("6"));
        assertThat(report.comparedColumns()).containsExactly("id", "balance->balance_cents");
    }

    @Test
    void aColumnOnOneSideOnlyFailsTheChecksumUnlessTheRunbookSaysWarn() {
        PgDatabases db = accounts("validate_left_out", "note text");
        db.execute(TARGET, "alter table accounts_v2 add column migrated_at timestamptz default now()");

        ValidationReport strict = validation(db).compare(validateStep(""));

        ValidationReport lenient = validation(db).compare(validateStep(", leftOut: warn"));

        assertThat(strict.passed()).as(strict.detail()).isFalse();
        assertThat(strict.detail()).contains("checksums equal; compared id, balance->balance_cents; columns left out,"
                + " never compared: source [note], target [migrated_at] (fails the checksum");
        assertThat(lenient.passed()).as(lenient.detail()).isTrue();
        assertThat(lenient.detail()).contains("source [note], target [migrated_at] (leftOut: warn)");
    }

    @Test
    void rowsWithANullKeyAreCountedAndFailTheChecksumTheBackfillCouldNotCopy() {
        PgDatabases db = new PgDatabases("validate_null_key");
        db.execute(LEGACY, "create table accounts (id integer, balance integer not null)",
                "insert into accounts select g, g * 10 from generate_series(1, 100) g",
                "insert into accounts values (null, 7), (null, 8)");
        db.execute(TARGET, "create table accounts (id integer primary key, balance integer not null)",
                "insert into accounts select g, g * 10 from generate_series(1, 100) g");
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "accounts"),
                new TableRef(TARGET, "accounts"), List.of("id"), 0, true);

        ValidationReport report = validation(db, new TableComparison.Limits(10, 100)).compare(parity);

        assertThat(report.sourceRows()).as("every source row counted, the two with a NULL key too").isEqualTo(102);
        assertThat(report.targetRows()).isEqualTo(100);
        assertThat(report.passed()).as(report.detail()).isFalse();
        assertThat(report.checks()).filteredOn(check -> check.name().equals("checksum"))
                .singleElement().satisfies(check -> assertThat(check.passed()).isFalse());
    }

    @Test
    void segmentedChecksumIsTimedAgainstStreamingEveryRow() throws Exception {
        PgDatabases db = new PgDatabases("validate_speed");
        String columns = "(id bigint primary key, account_id bigint not null, kind varchar(20) not null,"
                + " amount numeric(12,2) not null, created_at timestamptz not null, payload text)";
        String rows = "insert into events select g, g % 5003, case when g % 3 = 0 then 'debit' else 'credit' end,"
                + " (g::bigint * 7919 % 1000000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds',"
                + " case when g % 13 = 0 then null else repeat(md5(g::text), 3) end from generate_series(1, " + EVENTS
                + ") g";
        db.execute(LEGACY, "create table events " + columns, rows, "analyze events");
        db.execute(TARGET, "create table events " + columns, rows,
                "update events set amount = amount + 0.01 where id = 123457", "delete from events where id = 250000",
                "insert into events values (" + (EVENTS + 10) + ", 1, 'debit', 1, now(), null)", "analyze events");
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "events"), new TableRef(TARGET, "events"),
                List.of("id"), 0, true);

        ValidationActivities validation = validation(db);
        long start = System.nanoTime();
        ValidationReport report = validation.compare(parity);
        long segmentedMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        try (ReadOnlyQueries queries = new ReadOnlyQueries(db.registry)) {
            List<String> all = List.of("id", "account_id", "kind", "amount", "created_at", "payload");
            queries.read(LEGACY, (c, d) -> TableChecksum.of(c, d, "events", all, List.of("id")));
            queries.read(TARGET, (c, d) -> TableChecksum.of(c, d, "events", all, List.of("id")));
        }
        long streamedMillis = (System.nanoTime() - start) / 1_000_000;

        log.info("validate-speed: {} rows per side, 3 planted differences: in-database segments + bisection {} ms"
                + " ({} rows/s per side, keys listed); streaming every row into SHA-256 {} ms (no keys)", EVENTS,
                segmentedMillis, EVENTS * 1000L / Math.max(1, segmentedMillis), streamedMillis);
        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("250000")),
                List.of(List.of(String.valueOf(EVENTS + 10))), List.of(List.of("123457")), false));
    }

    /**
     * {@code legacy.accounts (id, balance[, extra])} copied by a backfill that renames {@code balance} to
     * {@code balance_cents} into {@code target.accounts_v2}: 1,000 equal rows.
     */
    private static PgDatabases accounts(String prefix, String extra) {
        PgDatabases db = new PgDatabases(prefix);
        db.execute(LEGACY, "create table accounts (id integer primary key, balance integer not null"
                        + (extra.isEmpty() ? "" : ", " + extra) + ")",
                "insert into accounts (id, balance) select g, g * 10 from generate_series(1, 1000) g");
        db.execute(TARGET, "create table accounts_v2 (id integer primary key, balance_cents integer not null)",
                "insert into accounts_v2 select g, g * 10 from generate_series(1, 1000) g");
        return db;
    }

    /** The validate step of a runbook whose backfill renames balance; {@code checksum} is added to its checksum. */
    private static ValidateStep validateStep(String checksum) {
        Runbook runbook = new RunbookParser(Set.of(LEGACY, TARGET)).parse("""
                apiVersion: runbook/v1
                name: accounts
                phases:
                  - name: copy
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: accounts }
                          to: { connection: target, table: accounts_v2 }
                          key: [id]
                          columns: { id: id, balance: balance_cents }
                  - name: check
                    steps:
                      - id: parity
                        validate:
                          between: { source: legacy.accounts, target: target.accounts_v2 }
                          key: [id]
                          checksum: { columns: all%s }
                """.formatted(checksum), "accounts.yaml");
        return (ValidateStep) runbook.phases().get(1).steps().get(0);
    }

    private BackfillActivities backfill(PgDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    private ValidationActivities validation(PgDatabases db) {
        return validation(db, TableComparison.Limits.DEFAULT);
    }

    private ValidationActivities validation(PgDatabases db, TableComparison.Limits limits) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry, limits));
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }
}
