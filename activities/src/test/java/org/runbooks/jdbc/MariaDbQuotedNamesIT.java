package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.Preflight;
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
 * Names as MariaDB spells them: {@code Order Lines} with a mixed-case composite key, copied into a table whose name
 * holds a backtick (MariaDB's quote character, which must be doubled), passes pre-flight, validates equal with
 * checksums, and its rollback deletes what it copied.
 */
class MariaDbQuotedNamesIT {

    private static final String SHAPE = " (`OrderId` bigint, `LineNo` int, `ShipDate` date, note text,"
            + " primary key (`OrderId`, `LineNo`))";
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: quoted-names
            phases:
              - name: copy
                steps:
                  - id: copy-lines
                    backfill:
                      from: { connection: legacy, table: "Order Lines" }
                      to: { connection: target, table: "Order`Lines v2" }
                      key: [OrderId, LineNo]
                      chunkRows: 70
                      parallelism: 2
                  - id: parity
                    validate:
                      between:
                        source: { connection: legacy, table: "Order Lines" }
                        target: { connection: target, table: "Order`Lines v2" }
                      key: [OrderId, LineNo]
                      checksum: { columns: all }
            """;

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void aSpacedTableIsCopiedIntoOneWhoseNameHoldsABacktickAndValidatesEqual() {
        MariaDbDatabases db = new MariaDbDatabases("maria_quoted");
        db.execute(LEGACY, "create table `Order Lines`" + SHAPE,
                "insert into `Order Lines` select o.seq, l.seq, date '2024-01-01' + interval (o.seq * l.seq) % 300 day,"
                        + " concat('line ', o.seq, '/', l.seq) from seq_1_to_250 o, seq_1_to_4 l");
        db.execute(TARGET, "create table `Order``Lines v2`" + SHAPE);
        Runbook runbook = new RunbookParser(Set.of(LEGACY, TARGET)).parse(RUNBOOK, "quoted-names.yaml");
        BackfillStep copy = (BackfillStep) runbook.step("copy-lines").orElseThrow();

        List<String> errors = new Preflight(db.registry).check(runbook).errors().stream().map(Finding::message).toList();
        BackfillResult copied = backfill(db).copyTable(new BackfillRequest("run-1/copy-lines", "quoted", copy));
        ValidationReport parity = validation(db).compare((ValidateStep) runbook.step("parity").orElseThrow());
        String contents = "select md5(group_concat(`OrderId`, '/', `LineNo`, '/', `ShipDate`, '/', note"
                + " order by `OrderId`, `LineNo` separator '|')) from ";
        String copiedContents = db.scalar(TARGET, contents + "`Order``Lines v2`");
        String removed = backfill(db).removeCopiedRows(new RemoveCopiedRows("run-1/copy-lines", copy));

        assertThat(errors).isEmpty();
        assertThat(copied.rowsCopied()).isEqualTo(1000);
        assertThat(parity.passed()).as(parity.detail()).isTrue();
        assertThat(copiedContents).isEqualTo(db.scalar(LEGACY, contents + "`Order Lines`"));
        assertThat(removed).startsWith("deleted 1000 of 1000 copied rows from target.\"Order`Lines v2\"");
        assertThat(db.scalar(TARGET, "select count(*) from `Order``Lines v2`")).isEqualTo("0");
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
