package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.runbooks.plan.RunbookPlan;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Columns as PostgreSQL spells them when they need quoting: a key of {@code Order "Id"} (a quote inside) and
 * {@code line no} (a space), a column named {@code select} (a reserved word) and {@code Ship Date}. The runbook
 * naming them parses, passes pre-flight and plans; the table is copied (by {@code COPY}, and by batched upserts
 * through a mapping onto {@code Shipped "On"}), validates equal, three planted differences are bisected down to
 * exactly their keys and repaired, and the rollback deletes the copied rows nobody changed.
 */
class PgQuotedColumnsIT {

    /** 3,000 rows: more than the 1,000 a bisection compares key by key, so the differences are found by cutting. */
    private static final int ROWS = 3_000;
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: quoted-columns
            phases:
              - name: copy
                steps:
                  - id: copy-lines
                    backfill:
                      from: { connection: legacy, table: "Odd Lines" }
                      to: { connection: target, table: "Odd Lines" }
                      key: ['Order "Id"', line no]
                      chunkRows: 70
                      parallelism: 2
            %s
                  - id: parity
                    validate:
                      between:
                        source: { connection: legacy, table: "Odd Lines" }
                        target: { connection: target, table: "Odd Lines" }
                      key: ['Order "Id"', line no]
                      checksum: { columns: all }
                      repair: true
                  - id: parity-in-flight
                    validate:
                      between:
                        source: { connection: legacy, table: "Odd Lines" }
                        target: { connection: target, table: "Odd Lines" }
                      key: ['Order "Id"', line no]
                      checksum: { columns: all }
                      lagWindow: { column: Updated At, duration: PT1H }
            """;
    private static final String SHAPE = " (\"Order \"\"Id\"\"\" bigint, \"line no\" int, \"select\" text, %s date,"
            + " \"Updated At\" timestamptz not null default '2024-01-01', primary key (\"Order \"\"Id\"\"\", \"line no\"))";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void columnsThatNeedQuotingAreCopiedByCopyBisectedRepairedAndRolledBack() {
        PgDatabases db = withOddLines("quoted_cols_copy", "\"Ship Date\"");

        copyCheckRepairAndRollBack(db, db.registry, "", "\"Ship Date\"");
    }

    @Test
    void columnsThatNeedQuotingAreCopiedInBatchesThroughAMappingBisectedRepairedAndRolledBack() {
        PgDatabases db = withOddLines("quoted_cols_batched", "\"Shipped \"\"On\"\"\"");
        String mapping = "          columns: { 'Order \"Id\"': 'Order \"Id\"', line no: line no, select: select,"
                + " Ship Date: 'Shipped \"On\"', Updated At: Updated At }";

        copyCheckRepairAndRollBack(db, db.upsertOnly(), mapping, "\"Shipped \"\"On\"\"\"");
    }

    private void copyCheckRepairAndRollBack(PgDatabases db, ConnectionRegistry registry, String mapping,
                                            String targetShipDate) {
        Runbook runbook = new RunbookParser(Set.of(LEGACY, TARGET)).parse(RUNBOOK.formatted(mapping), "quoted.yaml");
        BackfillStep copy = (BackfillStep) runbook.step("copy-lines").orElseThrow();
        ValidateStep parity = (ValidateStep) runbook.step("parity").orElseThrow();
        PreflightReport preflight = new Preflight(registry).check(runbook);

        BackfillResult copied = backfill(registry).copyTable(new BackfillRequest("run-1/copy-lines", "quoted", copy));
        String copiedContents = db.scalar(TARGET, contents(targetShipDate));
        ValidationReport equal = validation(registry).compare(parity);
        db.execute(TARGET, "update \"Odd Lines\" set \"select\" = 'changed' where \"Order \"\"Id\"\"\" = 5"
                        + " and \"line no\" = 2",
                "delete from \"Odd Lines\" where \"Order \"\"Id\"\"\" = 700 and \"line no\" = 3",
                "insert into \"Odd Lines\" (\"Order \"\"Id\"\"\", \"line no\") values (9999, 1)");
        ValidationReport planted = validation(registry).compare(parity);
        KeyDifferences found = planted.differences();
        List<List<String>> keys = new ArrayList<>(found.missing());
        keys.addAll(found.extra());
        keys.addAll(found.changed());
        KeyRepairResult repaired = backfill(registry).repairKeys(new KeyRepairRequest("run-1/parity/repair-1",
                "quoted", copy, parity.key(), keys));
        ValidationReport afterRepair = validation(registry).compare(parity);
        db.execute(TARGET, "update \"Odd Lines\" set \"select\" = 'written since', \"Updated At\" = now()"
                + " where \"Order \"\"Id\"\"\" = 42 and \"line no\" = 1");
        ValidationReport inFlight = validation(registry).compare(
                (ValidateStep) runbook.step("parity-in-flight").orElseThrow());
        String removed = backfill(registry).removeCopiedRows(new RemoveCopiedRows("run-1/copy-lines", copy));

        assertThat(preflight.errors().stream().map(Finding::message)).isEmpty();
        assertThat(RunbookPlan.render("quoted.yaml", runbook, preflight))
                .contains("by [Order \"Id\", line no]");
        assertThat(copied.rowsCopied()).isEqualTo(ROWS);
        assertThat(copiedContents).isEqualTo(db.scalar(LEGACY, contents("\"Ship Date\"")));
        assertThat(equal.passed()).as(equal.detail()).isTrue();
        assertThat(planted.passed()).isFalse();
        assertThat(found).isEqualTo(new KeyDifferences(List.of(List.of("700", "3")), List.of(List.of("9999", "1")),
                List.of(List.of("5", "2")), false));
        assertThat(repaired).isEqualTo(new KeyRepairResult(2, 1, 0));
        assertThat(afterRepair.passed()).as(afterRepair.detail()).isTrue();
        assertThat(inFlight.passed()).as(inFlight.detail()).isTrue();
        assertThat(inFlight.detail()).contains("1 key(s) with Updated At after now - PT1H (in flight)");
        assertThat(removed).startsWith("deleted " + (ROWS - 1) + " of " + ROWS + " copied rows from target.\"Odd Lines\"")
                .contains("keys [42, 1]");
        assertThat(db.scalar(TARGET, "select count(*) from \"Odd Lines\"")).isEqualTo("1");
    }

    /**
     * {@value #ROWS} rows in {@code "Odd Lines"} on the source and the same shape, empty, on the target, its date
     * column named {@code targetShipDate}.
     */
    private static PgDatabases withOddLines(String name, String targetShipDate) {
        PgDatabases db = new PgDatabases(name);
        db.execute(LEGACY, "create table \"Odd Lines\"" + SHAPE.formatted("\"Ship Date\""),
                "insert into \"Odd Lines\" select o, l, 'line ' || o || '/' || l, date '2024-01-01' + (o * l) % 300"
                        + " from generate_series(1, " + ROWS / 4 + ") o, generate_series(1, 4) l");
        db.execute(TARGET, "create table \"Odd Lines\"" + SHAPE.formatted(targetShipDate));
        return db;
    }

    private static String contents(String shipDate) {
        return "select md5(string_agg(format('%s/%s/%s/%s', \"Order \"\"Id\"\"\", \"line no\", \"select\", "
                + shipDate + "), '|' order by \"Order \"\"Id\"\"\", \"line no\")) from \"Odd Lines\"";
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
