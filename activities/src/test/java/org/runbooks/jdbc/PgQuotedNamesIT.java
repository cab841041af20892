package org.runbooks.jdbc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.pgcopy.PgCopyChunkWriter;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Names as PostgreSQL spells them: a table {@code "Order Lines"} in schema {@code "Sales"}, with a mixed-case
 * composite key and a {@code "ShipDate"} column, named in the runbook's structured form, passes pre-flight, is
 * copied both by {@code COPY} and by batched upserts, and validates equal; a name written to break out of its
 * quotes stays one harmless name.
 */
class PgQuotedNamesIT {

    private static final String LINES = "\"Sales\".\"Order Lines\"";
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: quoted-names
            phases:
              - name: copy
                steps:
                  - id: copy-lines
                    backfill:
                      from: { connection: legacy, schema: Sales, table: "Order Lines" }
                      to: { connection: target, schema: Sales, table: "%s" }
                      key: [OrderId, LineNo]
                      chunkRows: 70
                      parallelism: 2
            %s
                  - id: parity
                    validate:
                      between:
                        source: { connection: legacy, schema: Sales, table: "Order Lines" }
                        target: { connection: target, schema: Sales, table: "%s" }
                      key: [OrderId, LineNo]
                      checksum: { columns: all }
            """;

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
    void aSpacedTableInAMixedCaseSchemaIsCopiedByCopyAndValidatesEqual() {
        PgDatabases db = withOrderLines("quoted_copy", "Order Lines", "\"ShipDate\"");
        Runbook runbook = parse(RUNBOOK.formatted("Order Lines", "", "Order Lines"));

        assertThat(errors(db.registry, runbook)).isEmpty();
        BackfillResult copied = backfill(db.registry).copyTable(new BackfillRequest("run-1/copy-lines", "quoted",
                (BackfillStep) runbook.step("copy-lines").orElseThrow()));
        ValidationReport parity = validation(db.registry).compare((ValidateStep) runbook.step("parity").orElseThrow());

        assertThat(copied.rowsCopied()).isEqualTo(1000);
        assertThat(copyLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(" chunks ")))
                .as("written by COPY").hasSize(2)
                .allMatch(m -> m.matches(".*: [1-9]\\d* chunks straight into the table, 0 through .*"));
        assertThat(parity.passed()).as(parity.detail()).isTrue();
        assertThat(db.scalar(TARGET, contents("\"ShipDate\""))).isEqualTo(db.scalar(LEGACY, contents("\"ShipDate\"")));
    }

    @Test
    void mixedCaseNamesInTheShorthandAreCopiedAsSpelled() {
        PgDatabases db = withOrderLines("quoted_shorthand", "OrderLines", "\"ShipDate\"");
        db.execute(LEGACY, "alter table " + LINES + " rename to \"OrderLines\"");
        Runbook runbook = parse("""
                apiVersion: runbook/v1
                name: shorthand
                phases:
                  - name: copy
                    steps:
                      - id: copy-lines
                        backfill:
                          from: { connection: legacy, table: Sales.OrderLines }
                          to: { connection: target, table: Sales.OrderLines }
                          key: [OrderId, LineNo]
                          chunkRows: 70
                      - id: parity
                        validate:
                          between: { source: legacy.Sales.OrderLines, target: target.Sales.OrderLines }
                          key: [OrderId, LineNo]
                          checksum: { columns: all }
                """);

        assertThat(errors(db.registry, runbook)).isEmpty();
        BackfillResult copied = backfill(db.registry).copyTable(new BackfillRequest("run-1/copy-lines", "shorthand",
                (BackfillStep) runbook.step("copy-lines").orElseThrow()));
        ValidationReport parity = validation(db.registry).compare((ValidateStep) runbook.step("parity").orElseThrow());

        assertThat(copied.rowsCopied()).isEqualTo(1000);
        assertThat(parity.passed()).as(parity.detail()).isTrue();
    }

    @Test
    void aMixedCaseColumnMappedOntoAnotherIsCopiedInBatchesAndValidatesEqual() {
        PgDatabases db = withOrderLines("quoted_batched", "Order Lines v2", "\"ShippedOn\"");
        String mapping = "          columns: { OrderId: OrderId, LineNo: LineNo, ShipDate: ShippedOn, note: note }";
        Runbook runbook = parse(RUNBOOK.formatted("Order Lines v2", mapping, "Order Lines v2"));

        assertThat(errors(db.upsertOnly(), runbook)).isEmpty();
        BackfillResult copied = backfill(db.upsertOnly()).copyTable(new BackfillRequest("run-1/copy-lines",
                "quoted", (BackfillStep) runbook.step("copy-lines").orElseThrow()));

        assertThat(copied.rowsCopied()).isEqualTo(1000);
        assertThat(copyLog.list).as("no COPY: upserted in batches").isEmpty();
        assertThat(db.scalar(TARGET, contents("\"ShippedOn\"").replace("Order Lines", "Order Lines v2")))
                .isEqualTo(db.scalar(LEGACY, contents("\"ShipDate\"")));
    }

    @Test
    void aNameWrittenToBreakOutOfItsQuotesNamesATableThatDoesNotExist() {
        PgDatabases db = withOrderLines("quoted_injection", "Order Lines", "\"ShipDate\"");
        String attack = "x\\\"; drop table \\\"Sales\\\".\\\"Order Lines\\\"; --";
        Runbook runbook = parse(RUNBOOK.formatted(attack, "", attack));

        List<String> errors = errors(db.registry, runbook);

        assertThat(errors).contains("table Sales.\"x\"\"; drop table \"\"Sales\"\".\"\"Order Lines\"\";"
                + " --\" does not exist on connection 'target'");
        assertThat(db.scalar(TARGET, "select count(*) from " + LINES)).isEqualTo("0");
        assertThat(db.scalar(LEGACY, "select count(*) from " + LINES)).isEqualTo("1000");
    }

    /**
     * 1,000 rows in {@code "Sales"."Order Lines"} on the source, keyed on {@code ("OrderId", "LineNo")}, and the same
     * shape, empty, as {@code "Sales".<targetTable>} on the target, its date column named {@code targetShipDate}.
     */
    private static PgDatabases withOrderLines(String name, String targetTable, String targetShipDate) {
        PgDatabases db = new PgDatabases(name);
        String shape = " (\"OrderId\" bigint, \"LineNo\" int, %s date, note text, primary key (\"OrderId\", \"LineNo\"))";
        db.execute(LEGACY, "create schema \"Sales\"", "create table " + LINES + shape.formatted("\"ShipDate\""),
                "insert into " + LINES + " select o, l, date '2024-01-01' + (o * l) % 300, 'line ' || o || '/' || l"
                        + " from generate_series(1, 250) o, generate_series(1, 4) l");
        db.execute(TARGET, "create schema \"Sales\"", "create table \"Sales\".\"" + targetTable + "\"" + shape.formatted(targetShipDate));
        return db;
    }

    private static String contents(String shipDate) {
        return "select md5(string_agg(format('%s/%s/%s/%s', \"OrderId\", \"LineNo\", " + shipDate + ", note), '|'"
                + " order by \"OrderId\", \"LineNo\")) from " + LINES;
    }

    private static Runbook parse(String yaml) {
        return new RunbookParser(java.util.Set.of(LEGACY, TARGET)).parse(yaml, "quoted-names.yaml");
    }

    private static List<String> errors(ConnectionRegistry registry, Runbook runbook) {
        PreflightReport report = new Preflight(registry).check(runbook);
        return report.errors().stream().map(Finding::message).toList();
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
