package org.runbooks.preflight;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.model.Runbook;
import org.runbooks.parse.RunbookParser;
import org.runbooks.plan.RunbookPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.runbooks.preflight.H2Pair.LEGACY;
import static org.runbooks.preflight.H2Pair.TARGET;

class PreflightTest {

    private static final String ORDERS = "(id bigint primary key, customer_id bigint not null, amount decimal(12, 2))";

    private H2Pair db;

    @BeforeEach
    void setUp() {
        db = new H2Pair();
        db.execute(LEGACY, "create table orders " + ORDERS,
                "insert into orders select x, mod(x, 7), x * 0.5 from (select \"X\" as x from system_range(1, 120))");
        db.execute(TARGET, "create table orders_v2 " + ORDERS);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void readyBackfillHasNoErrorsCountsItsSourceAndChangesNothing() {
        String legacyBefore = db.snapshot(LEGACY);
        String targetBefore = db.snapshot(TARGET);

        PreflightReport report = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]"""));

        assertThat(report.errors()).isEmpty();
        assertThat(report.estimates()).containsExactly(
                new RowEstimate("phases[0].steps[0].backfill.from", "copy", "legacy.orders", 120, true));
        assertThat(report.findings()).extracting(Finding::path, Finding::level, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.to", FindingLevel.INFO, "target.orders_v2 is empty"));
        assertThat(db.snapshot(LEGACY)).isEqualTo(legacyBefore);
        assertThat(db.snapshot(TARGET)).isEqualTo(targetBefore).isEqualTo("orders_v2=0;");
    }

    @Test
    void missingTargetTableIsAnErrorAtTheTargetField() {
        PreflightReport report = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v3 }
                key: [id]"""));

        assertThat(report.errors()).extracting(Finding::path, Finding::stepId, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.to", "copy",
                        "table orders_v3 does not exist on connection 'target'"));
    }

    @Test
    void missingSourceTableIsAnError() {
        PreflightReport report = db.preflight(backfill("""
                from: { connection: legacy, table: public.nope }
                to: { connection: target, table: orders_v2 }
                key: [id]"""));

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.from", "table public.nope does not exist on connection 'legacy'"));
        assertThat(report.estimates()).isEmpty();
    }

    @Test
    void missingKeyColumnIsReportedForTheSideThatLacksIt() {
        db.execute(TARGET, "create table orders_v4 (order_id bigint primary key, customer_id bigint)");

        PreflightReport report = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v4 }
                key: [id, customer_id]"""));

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.key[0]", "key column 'id' is not a column of target.orders_v4"));
    }

    @Test
    void mappedColumnsMustExistOnTheirOwnSide() {
        db.execute(TARGET, "create table orders_v5 (order_id bigint primary key, total decimal(12, 2))");

        PreflightReport report = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v5 }
                key: [id]
                columns: { id: order_id, amount: amount_total, customer: customer_id }"""));

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.columns.customer",
                        "column 'customer' is not a column of legacy.orders"),
                tuple("phases[0].steps[0].backfill.columns.amount",
                        "column 'amount_total' (mapped from 'amount') is not a column of target.orders_v5"),
                tuple("phases[0].steps[0].backfill.columns.customer",
                        "column 'customer_id' (mapped from 'customer') is not a column of target.orders_v5"));
    }

    @Test
    void querySourceColumnsAreLearntWithoutRunningTheQuery() {
        db.execute(TARGET, "create table paid (order_id bigint primary key, total decimal(12, 2))");

        PreflightReport good = db.preflight(backfill("""
                from: { connection: legacy, query: "select id as order_id, amount as total from orders where id > 100" }
                to: { connection: target, table: paid }
                key: [order_id]"""));
        PreflightReport badKey = db.preflight(backfill("""
                from: { connection: legacy, query: "select amount as total from orders" }
                to: { connection: target, table: paid }
                key: [order_id]"""));
        PreflightReport broken = db.preflight(backfill("""
                from: { connection: legacy, query: "select id as order_id, no_such_column from orders" }
                to: { connection: target, table: paid }
                key: [order_id]"""));

        assertThat(good.errors()).isEmpty();
        assertThat(good.estimates()).extracting(RowEstimate::source, RowEstimate::rows)
                .containsExactly(tuple("the query on legacy", 20L));
        assertThat(badKey.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.key[0]",
                        "key column 'order_id' is not a column of the query on legacy"));
        assertThat(broken.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("phases[0].steps[0].backfill.from.query");
            assertThat(e.message()).startsWith("the query does not run on connection 'legacy': ")
                    .containsIgnoringCase("no_such_column");
        });
    }

    @Test
    void nonEmptyTargetWarnsWhenRollbackWouldDeleteAndInformsWhenItKeeps() {
        db.execute(TARGET, "insert into orders_v2 values (1, 1, 1.00)");

        PreflightReport deleting = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]
                onRollback: delete-copied"""));
        PreflightReport keeping = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]
                onRollback: keep"""));

        assertThat(deleting.at(FindingLevel.WARNING)).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.to", "target.orders_v2 already holds rows, so a rollback will keep "
                        + "the rows this backfill copies (onRollback: delete-copied only deletes from a target that was"
                        + " empty)"));
        assertThat(keeping.at(FindingLevel.WARNING)).isEmpty();
        assertThat(keeping.at(FindingLevel.INFO)).extracting(Finding::message)
                .containsExactly("target.orders_v2 already holds rows; rows with the same key are overwritten");
    }

    @Test
    void unreachableConnectionIsOneErrorNamingItAndNeverItsPassword() {
        db.with("archive", "jdbc:h2:tcp://127.0.0.1:1/nowhere;PASSWORD=url-secret", "s3cret-pw");

        PreflightReport report = db.preflight("""
                apiVersion: runbook/v1
                name: unreachable
                phases:
                  - name: cutover
                    steps:
                      - id: flip
                        flag: { connection: archive, name: orders.read_v2, enabled: true }
                      - id: view
                        sql: { connection: archive, apply: "select 1", irreversible: true }
                """);

        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("phases[0].steps[0].flag.connection");
            assertThat(e.stepId()).isEqualTo("flip");
            assertThat(e.message()).startsWith("connection 'archive' is unreachable: ")
                    .doesNotContain("s3cret-pw").doesNotContain("url-secret");
        });
    }

    @Test
    void connectionTheWorkerDoesNotKnowIsAnErrorEvenWhenTheParserWasNotTold() {
        Runbook runbook = new RunbookParser(null).parse(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: warehouse, table: orders_v2 }
                key: [id]"""), "test.yaml");

        PreflightReport report = new Preflight(db.registry()).check(runbook);

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.to.connection", "unknown connection 'warehouse'; this worker knows"
                        + " [legacy, target] (configure runbooks.connections.warehouse.url)"));
        assertThat(report.estimates()).extracting(RowEstimate::rows).containsExactly(120L);
    }

    @Test
    void validateChecksTablesKeysAndThatEveryQueryParses() {
        PreflightReport report = db.preflight("""
                apiVersion: runbook/v1
                name: checks
                phases:
                  - name: validate
                    steps:
                      - id: parity
                        validate:
                          between: { source: legacy.orders, target: target.orders_v9 }
                          key: [order_id]
                          kpis:
                            - name: revenue
                              source: { connection: legacy, sql: "select sum(amount) from orders" }
                              target: { connection: target, sql: "select sum(amount) frm orders_v2" }
                          assertions:
                            - { name: no-orphans, connection: target, sql: "select count(*) from missing_table" }
                """);

        assertThat(report.errors()).extracting(Finding::path).containsExactly(
                "phases[0].steps[0].validate.key[0]",
                "phases[0].steps[0].validate.between.target",
                "phases[0].steps[0].validate.kpis[0].target.sql",
                "phases[0].steps[0].validate.assertions[0].sql");
        assertThat(report.errors().get(0).message()).isEqualTo("key column 'order_id' is not a column of legacy.orders");
        assertThat(report.errors().get(1).message())
                .isEqualTo("table orders_v9 does not exist on connection 'target'");
        assertThat(report.errors().get(2).message()).startsWith("does not parse on connection 'target': ");
        assertThat(report.errors().get(3).message()).containsIgnoringCase("missing_table");
    }

    @Test
    void aThrottleQueryThatDoesNotParseIsAnErrorAtItsField() {
        PreflightReport broken = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]
                throttle: { query: "select count(*) frm orders_v2", connection: target, max: 10 }"""));
        PreflightReport fine = db.preflight(backfill("""
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]
                throttle: { query: "select count(*) from orders_v2", connection: target, max: 10 }"""));

        assertThat(broken.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("phases[0].steps[0].backfill.throttle.query");
            assertThat(e.message()).startsWith("does not parse on connection 'target': ");
        });
        assertThat(fine.errors()).isEmpty();
    }

    @Test
    void aLagWindowColumnMissingOnEitherSideIsAnErrorAtItsField() {
        db.execute(TARGET, "create table orders_v6 (id bigint primary key, customer bigint, amount decimal(12, 2),"
                + " updated_at timestamp)");

        PreflightReport report = db.preflight("""
                apiVersion: runbook/v1
                name: lag
                phases:
                  - name: validate
                    steps:
                      - id: parity
                        validate:
                          between: { source: legacy.orders, target: target.orders_v6 }
                          key: [id]
                          lagWindow: { column: updated_at, duration: PT5M }
                """);

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].validate.lagWindow.column",
                        "column 'updated_at' is not a column of legacy.orders"));
    }

    @Test
    void aColumnTheChecksumWouldLeaveOutIsAnErrorBeforeTheCopyStartsOrAWarningWhenAccepted() {
        db.execute(TARGET, "alter table orders_v2 add column migrated_at timestamp");
        String runbook = """
                apiVersion: runbook/v1
                name: copy
                phases:
                  - name: copy
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                          columns: { id: id, amount: amount }
                      - id: parity
                        validate:
                          between: { source: legacy.orders, target: target.orders_v2 }
                          key: [id]
                          checksum: { columns: all%s }
                """;

        PreflightReport strict = db.preflight(runbook.formatted(""));
        PreflightReport lenient = db.preflight(runbook.formatted(", leftOut: warn"));

        String leftOut = "the checksum compares id, amount and leaves out source [customer_id], target [customer_id,"
                + " migrated_at]";
        assertThat(strict.errors()).extracting(Finding::path, Finding::message).containsExactly(tuple(
                "phases[0].steps[1].validate.checksum", leftOut + "; map them in the backfill's columns, or accept"
                        + " them with checksum: {leftOut: warn}"));
        assertThat(lenient.errors()).isEmpty();
        assertThat(lenient.at(FindingLevel.WARNING)).extracting(Finding::path, Finding::message).contains(tuple(
                "phases[0].steps[1].validate.checksum", leftOut + " (leftOut: warn)"));
    }

    @Test
    void aLeadingKeyThatIsNotAnIntegerIsPlannedAsOneKeyRange() {
        db.execute(LEGACY, "create table codes (code varchar(10) primary key, n int)",
                "insert into codes values ('a', 1)");
        db.execute(TARGET, "create table codes (code varchar(10) primary key, n int)");
        String yaml = backfill("""
                from: { connection: legacy, table: codes }
                to: { connection: target, table: codes }
                key: [code]
                parallelism: 2""");

        String plan = RunbookPlan.render("test.yaml", db.runbook(yaml), db.preflight(yaml));

        assertThat(plan).contains("by [code], 1 key range at a time (parallelism 2 asked: the leading key column code"
                + " is varchar, not an integer type, so it cannot be cut into equal-width ranges)")
                .doesNotContain("2 key ranges");
    }

    private static String backfill(String body) {
        String indented = String.join("\n", body.lines().map(line -> "          " + line).toList());
        return """
                apiVersion: runbook/v1
                name: copy
                phases:
                  - name: backfill
                    steps:
                      - id: copy
                        backfill:
                %s
                """.formatted(indented);
    }
}
