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
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * Columns as MariaDB spells them when they need quoting: a key of {@code Order`Id} (MariaDB's quote character
 * inside, which must be doubled) and {@code line no} (a space), a column named {@code select} (a reserved word) and
 * {@code Ship Date}, mapped onto {@code Shipped "On"}. The runbook parses, passes pre-flight and plans; the table is
 * copied, validates equal, three planted differences are bisected down to exactly their keys and repaired, and the
 * rollback deletes the copied rows nobody changed.
 */
class MariaDbQuotedColumnsIT {

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
                      key: ['Order`Id', line no]
                      columns: { 'Order`Id': 'Order`Id', line no: line no, select: select, Ship Date: 'Shipped "On"' }
                      chunkRows: 70
                      parallelism: 2
                  - id: parity
                    validate:
                      between:
                        source: { connection: legacy, table: "Odd Lines" }
                        target: { connection: target, table: "Odd Lines" }
                      key: ['Order`Id', line no]
                      checksum: { columns: all }
                      repair: true
            """;
    private static final String SHAPE = " (`Order``Id` bigint, `line no` int, `select` text, %s date,"
            + " primary key (`Order``Id`, `line no`))";
    private static final String KEY = "`Order``Id` = %d and `line no` = %d";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void columnsThatNeedQuotingAreCopiedThroughAMappingBisectedRepairedAndRolledBack() {
        MariaDbDatabases db = new MariaDbDatabases("maria_quoted_cols");
        db.execute(LEGACY, "create table `Odd Lines`" + SHAPE.formatted("`Ship Date`"),
                "insert into `Odd Lines` select o.seq, l.seq, concat('line ', o.seq, '/', l.seq),"
                        + " date '2024-01-01' + interval (o.seq * l.seq) % 300 day"
                        + " from seq_1_to_" + ROWS / 4 + " o, seq_1_to_4 l");
        db.execute(TARGET, "create table `Odd Lines`" + SHAPE.formatted("`Shipped \"On\"`"));
        Runbook runbook = new RunbookParser(Set.of(LEGACY, TARGET)).parse(RUNBOOK, "quoted.yaml");
        BackfillStep copy = (BackfillStep) runbook.step("copy-lines").orElseThrow();
        ValidateStep parity = (ValidateStep) runbook.step("parity").orElseThrow();
        PreflightReport preflight = new Preflight(db.registry).check(runbook);

        BackfillResult copied = backfill(db).copyTable(new BackfillRequest("run-1/copy-lines", "quoted", copy));
        String copiedContents = db.scalar(TARGET, contents("`Shipped \"On\"`"));
        ValidationReport equal = validation(db).compare(parity);
        db.execute(TARGET, "update `Odd Lines` set `select` = 'changed' where " + KEY.formatted(5, 2),
                "delete from `Odd Lines` where " + KEY.formatted(700, 3),
                "insert into `Odd Lines` (`Order``Id`, `line no`) values (9999, 1)");
        ValidationReport planted = validation(db).compare(parity);
        KeyDifferences found = planted.differences();
        List<List<String>> keys = new ArrayList<>(found.missing());
        keys.addAll(found.extra());
        keys.addAll(found.changed());
        KeyRepairResult repaired = backfill(db).repairKeys(new KeyRepairRequest("run-1/parity/repair-1", "quoted",
                copy, parity.key(), keys));
        ValidationReport afterRepair = validation(db).compare(parity);
        db.execute(TARGET, "update `Odd Lines` set `select` = 'written since' where " + KEY.formatted(42, 1));
        String removed = backfill(db).removeCopiedRows(new RemoveCopiedRows("run-1/copy-lines", copy));

        assertThat(preflight.errors().stream().map(Finding::message)).isEmpty();
        assertThat(RunbookPlan.render("quoted.yaml", runbook, preflight)).contains("by [Order`Id, line no]");
        assertThat(copied.rowsCopied()).isEqualTo(ROWS);
        assertThat(copiedContents).isEqualTo(db.scalar(LEGACY, contents("`Ship Date`")));
        assertThat(equal.passed()).as(equal.detail()).isTrue();
        assertThat(equal.comparedColumns()).containsExactly("Order`Id", "line no", "select",
                "Ship Date->Shipped \"On\"");
        assertThat(planted.passed()).isFalse();
        assertThat(found).isEqualTo(new KeyDifferences(List.of(List.of("700", "3")), List.of(List.of("9999", "1")),
                List.of(List.of("5", "2")), false));
        assertThat(repaired).isEqualTo(new KeyRepairResult(2, 1, 0));
        assertThat(afterRepair.passed()).as(afterRepair.detail()).isTrue();
        assertThat(removed).startsWith("deleted " + (ROWS - 1) + " of " + ROWS + " copied rows from target.\"Odd Lines\"")
                .contains("keys [42, 1]");
        assertThat(db.scalar(TARGET, "select count(*) from `Odd Lines`")).isEqualTo("1");
    }

    private static String contents(String shipDate) {
        return "select md5(group_concat(`Order``Id`, '/', `line no`, '/', `select`, '/', " + shipDate
                + " order by `Order``Id`, `line no` separator '|')) from `Odd Lines`";
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
