package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.runbooks.model.AutoNotify;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.model.Limits;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlStep;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunbookParserTest {

    private static final String FILE = "test.yaml";
    private static final Set<String> WORKER_CONNECTIONS = Set.of("legacy", "target");

    /** A backfill step that parses on its own; malformed cases change one thing in it. */
    private static final String COPY_STEP = """
            - id: copy
              backfill:
                from: { connection: legacy, table: orders }
                to: { connection: target, table: orders_v2 }
                key: [id]
            """;

    private final RunbookParser parser = new RunbookParser(null);

    @Test
    void parsesTheOrdersRunbookIntoItsModel() throws IOException {
        String text = Files.readString(Path.of("../runbooks/orders-to-v2.yaml"));

        Runbook runbook = new RunbookParser(WORKER_CONNECTIONS).parse(text, "orders-to-v2.yaml");

        TableRef legacyOrders = new TableRef("legacy", "orders");
        TableRef targetOrders = new TableRef("target", "orders_v2");
        assertThat(runbook).isEqualTo(new Runbook("runbook/v1", "orders-to-v2", "data-platform",
                "Move orders from the legacy database to orders_v2 with near-zero downtime.", List.of(
                new Phase("backfill", List.of(new BackfillStep("copy-orders", legacyOrders, targetOrders,
                        List.of("id"), 10_000, BackfillRollback.DELETE_COPIED))),
                new Phase("validate", List.of(new ValidateStep("parity", legacyOrders, targetOrders,
                        List.of("id"), 0, true))),
                new Phase("gate", List.of(new GateStep("go-no-go", List.of("orders-owner", "dba-oncall"), 1,
                        Duration.ofDays(3), GateTimeoutPolicy.ROLLBACK))),
                new Phase("cutover", List.of(new FlagStep("read-v2", "target", "orders.read_v2", 100))))));
        assertThat(runbook.stepCount()).isEqualTo(4);
    }

    @Test
    void acceptsTabIndentedJsonAndBuildsTheSameModelAsYaml() {
        String yaml = """
                apiVersion: runbook/v1
                name: json-twin
                phases:
                  - name: copy
                    steps:
                      - id: copy-orders
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: app.orders_v2 }
                          key: [tenant_id, id]
                          chunkRows: 500
                          onRollback: keep
                      - id: drop-trigger
                        sql: { connection: legacy, apply: "drop trigger t on orders", irreversible: true }
                """;
        String json = """
                {
                \t"apiVersion": "runbook/v1",
                \t"name": "json-twin",
                \t"phases": [{
                \t\t"name": "copy",
                \t\t"steps": [
                \t\t\t{"id": "copy-orders", "backfill": {
                \t\t\t\t"from": {"connection": "legacy", "table": "orders"},
                \t\t\t\t"to": {"connection": "target", "table": "app.orders_v2"},
                \t\t\t\t"key": ["tenant_id", "id"], "chunkRows": 500, "onRollback": "keep"}},
                \t\t\t{"id": "drop-trigger", "sql": {"connection": "legacy", "apply": "drop trigger t on orders",
                \t\t\t\t"irreversible": true}}
                \t\t]
                \t}]
                }
                """;

        Runbook fromJson = parser.parse(json, "twin.json");

        assertThat(fromJson).isEqualTo(parser.parse(yaml, "twin.yaml"));
        assertThat(fromJson.step("copy-orders")).contains(new BackfillStep("copy-orders",
                new TableRef("legacy", "orders"), new TableRef("target", "app.orders_v2"),
                List.of("tenant_id", "id"), 500, BackfillRollback.KEEP));
        assertThat(fromJson.step("drop-trigger")).contains(
                new SqlStep("drop-trigger", "legacy", "drop trigger t on orders", null, true));
    }

    @Test
    void jsonErrorsCarryTheSameFieldPathsAsYaml() {
        String json = """
                {"apiVersion": "runbook/v1", "name": "j", "phases": [{"name": "p", "steps": [
                  {"id": "g", "gate": {"approvers": ["ann"], "quorum": 2}}]}]}
                """;

        assertThat(errorsOf(parser, json)).containsExactly(
                error("phases[0].steps[0].gate.quorum", "must be <= number of approvers (1)"));
    }

    @Test
    void fillsInTheDocumentedDefaults() {
        Runbook runbook = parser.parse(withSteps(COPY_STEP + """
                - id: decide
                  gate: { approvers: [ann] }
                - id: shadow
                  flag: { connection: target, name: orders.shadow, percent: 25 }
                """), FILE);

        assertThat(runbook.owner()).isNull();
        assertThat(runbook.description()).isEmpty();
        assertThat(runbook.step("copy")).contains(new BackfillStep("copy", new TableRef("legacy", "orders"),
                new TableRef("target", "orders_v2"), List.of("id"), BackfillStep.DEFAULT_CHUNK_ROWS,
                BackfillRollback.DELETE_COPIED));
        assertThat(runbook.step("decide")).contains(
                new GateStep("decide", List.of("ann"), 1, null, GateTimeoutPolicy.ROLLBACK));
        assertThat(runbook.step("shadow")).contains(new FlagStep("shadow", "target", "orders.shadow", 25));
    }

    @Test
    void unknownKeysAreReportedWhereverTheyAppear() {
        String text = """
                apiVersion: runbook/v1
                name: test-runbook
                schedule: nightly
                phases:
                  - name: only
                    parallel: true
                    steps:
                      - id: copy
                        retries: 3
                        backfill:
                          from: { connection: legacy, table: orders, database: public }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                          chunkSize: 500
                """;

        assertThat(errorsOf(parser, text)).containsExactlyInAnyOrder(
                error("schedule", "unknown key"),
                error("phases[0].parallel", "unknown key"),
                error("phases[0].steps[0].retries", "unknown key"),
                error("phases[0].steps[0].backfill.chunkSize", "unknown key"),
                error("phases[0].steps[0].backfill.from.database", "unknown key"));
    }

    @Test
    void wrongTypeIsReportedWithTheValueFound() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    chunkRows: many"));

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.chunkRows", "must be a whole number, not the string 'many'"));
    }

    @Test
    void nonIntegralNumberIsNotAcceptedAsAWholeNumber() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    chunkRows: 2.5"));

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.chunkRows", "must be a whole number, not number 2.5"));
    }

    @Test
    void aListGivenAsAStringIsOneErrorNotTwo() {
        String text = withSteps("""
                - id: decide
                  gate: { approvers: ann }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].gate.approvers", "must be a list, not the string 'ann'"));
    }

    @Test
    void emptyApproverListIsRefused() {
        String text = withSteps("""
                - id: decide
                  gate: { approvers: [] }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].gate.approvers", "must name at least one approver"));
    }

    @Test
    void missingRequiredFieldsAreReportedAtTheirPaths() {
        String text = """
                apiVersion: runbook/v1
                phases:
                  - name: only
                    steps:
                      - backfill:
                          from: { connection: legacy }
                          to: { connection: target, table: orders_v2 }
                """;

        assertThat(errorsOf(parser, text)).containsExactlyInAnyOrder(
                error("name", "is required"),
                error("phases[0].steps[0].id", "is required"),
                error("phases[0].steps[0].backfill.from", "needs exactly one of table or query"),
                error("phases[0].steps[0].backfill.key", "is required"));
    }

    @Test
    void requiredFieldLeftEmptyIsReportedAsRequired() {
        String text = withSteps(COPY_STEP).replace("name: test-runbook", "name:");

        assertThat(errorsOf(parser, text)).containsExactly(error("name", "is required"));
    }

    @Test
    void runbookWithoutPhasesIsRefused() {
        assertThat(errorsOf(parser, "apiVersion: runbook/v1\nname: empty\n"))
                .containsExactly(error("phases", "is required"));
        assertThat(errorsOf(parser, "apiVersion: runbook/v1\nname: empty\nphases: []\n"))
                .containsExactly(error("phases", "must not be empty"));
    }

    @Test
    void duplicateStepIdsAreRefusedEvenAcrossPhases() {
        String text = """
                apiVersion: runbook/v1
                name: test-runbook
                phases:
                  - name: first
                    steps:
                      - id: copy
                        sql: { connection: target, apply: "select 1", irreversible: true }
                  - name: second
                    steps:
                      - id: copy
                        sql: { connection: target, apply: "select 2", irreversible: true }
                """;

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[1].steps[0].id", "duplicate step id 'copy'"));
    }

    @Test
    void duplicatePhaseNamesAreRefused() {
        String text = """
                apiVersion: runbook/v1
                name: test-runbook
                phases:
                  - name: copy
                    steps: [{ id: a, sql: { connection: target, apply: "select 1", irreversible: true } }]
                  - name: copy
                    steps: [{ id: b, sql: { connection: target, apply: "select 2", irreversible: true } }]
                """;

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[1].name", "duplicate phase name 'copy'"));
    }

    @Test
    void quorumAboveTheNumberOfApproversIsRefused() {
        String text = withSteps("""
                - id: go-no-go
                  gate: { approvers: [orders-owner, dba-oncall], quorum: 3 }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].gate.quorum", "must be <= number of approvers (2)"));
    }

    @Test
    void approverNamedTwiceIsRefused() {
        String text = withSteps("""
                - id: go-no-go
                  gate: { approvers: [ann, ann], quorum: 2 }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].gate.approvers", "names an approver twice"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1_000_001, 5_000_000})
    void chunkRowsOutsideTheBoundsTuneHoldsToIsRefused(int chunkRows) {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    chunkRows: " + chunkRows));

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.chunkRows", "must be 1 to 1000000, not " + chunkRows));
    }

    @Test
    void theLargestChunkTuneAcceptsIsAccepted() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    chunkRows: 1000000"));

        assertThat(((BackfillStep) parser.parse(text, FILE).phases().get(0).steps().get(0)).chunkRows())
                .isEqualTo(Limits.MAX_CHUNK_ROWS);
    }

    @Test
    void timeoutThatIsNotAnIsoDurationIsRefused() {
        String text = withSteps("""
                - id: go-no-go
                  gate: { approvers: [ann], timeout: 3 days }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].gate.timeout",
                "must be an ISO-8601 duration such as PT30M or P3D, not '3 days'"));
    }

    @Test
    void zeroTimeoutIsRefused() {
        String text = withSteps("""
                - id: go-no-go
                  gate: { approvers: [ann], timeout: PT0S }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].gate.timeout", "must be a positive duration, not PT0S"));
    }

    @Test
    void aTableNameWrittenToBreakOutOfItsQuotesIsKeptAsOneQuotedName() {
        String text = withSteps(COPY_STEP.replace("table: orders }", "table: 'orders\"; drop table x; --' }"));

        BackfillStep copy = (BackfillStep) parser.parse(text, FILE).step("copy").orElseThrow();

        assertThat(copy.from()).isEqualTo(new TableRef("legacy", "\"orders\"\"; drop table x; --\""));
        assertThat(Identifiers.tableParts(copy.from().table())).containsExactly("orders\"; drop table x; --");
    }

    @Test
    void aNameWithAControlCharacterOrOver63BytesIsRefused() {
        String text = withSteps(COPY_STEP.replace("table: orders }", "schema: \"app\\0\", table: orders }")
                .replace("table: orders_v2 }", "table: '" + "é".repeat(32) + "' }"));

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.from.schema",
                        "'app\0' is not a schema name (1 to 63 bytes, no control characters)"),
                error("phases[0].steps[0].backfill.to.table",
                        "'" + "é".repeat(32) + "' is not a table name (1 to 63 bytes, no control characters)"));
    }

    @Test
    void tableWithMoreThanSchemaAndNameIsRefused() {
        String text = withSteps(COPY_STEP.replace("table: orders }", "table: db.public.orders }"));

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].backfill.from.table",
                "'db.public.orders' is not a table name: schema.table takes letters, digits and _; give any other"
                        + " name as schema and table apart"));
    }

    @Test
    void theStructuredFormNamesAnySchemaAndTableAsTheDatabaseSpellsThem() {
        String text = withSteps("""
                - id: copy
                  backfill:
                    from: { connection: legacy, schema: Sales, table: "Order Lines" }
                    to: { connection: target, schema: "Sales", table: "Order.Lines v2" }
                    key: [OrderId, LineNo]
                - id: parity
                  validate:
                    between:
                      source: { connection: legacy, schema: Sales, table: "Order Lines" }
                      target: { connection: target, table: "Order Lines" }
                    key: [OrderId, LineNo]
                """);

        Runbook runbook = parser.parse(text, FILE);
        BackfillStep copy = (BackfillStep) runbook.step("copy").orElseThrow();
        ValidateStep parity = (ValidateStep) runbook.step("parity").orElseThrow();

        assertThat(copy.from()).isEqualTo(new TableRef("legacy", "Sales.\"Order Lines\""));
        assertThat(copy.to()).isEqualTo(new TableRef("target", "Sales.\"Order.Lines v2\""));
        assertThat(copy.key()).containsExactly("OrderId", "LineNo");
        assertThat(parity.source()).isEqualTo(copy.from());
        assertThat(parity.target()).isEqualTo(new TableRef("target", "\"Order Lines\""));
        assertThat(Identifiers.tableParts(copy.to().table())).containsExactly("Sales", "Order.Lines v2");
    }

    @Test
    void theShorthandKeepsPlainNamesAsWrittenAndMeansTheSameAsTheStructuredForm() {
        String text = withSteps("""
                - id: copy
                  backfill:
                    from: { connection: legacy, table: Sales.OrderLines }
                    to: { connection: target, schema: Sales, table: OrderLines }
                    key: [OrderId]
                - id: parity
                  validate:
                    between: { source: legacy.Sales.OrderLines, target: target.OrderLines }
                    key: [OrderId]
                """);

        Runbook runbook = parser.parse(text, FILE);
        BackfillStep copy = (BackfillStep) runbook.step("copy").orElseThrow();
        ValidateStep parity = (ValidateStep) runbook.step("parity").orElseThrow();

        assertThat(copy.from()).isEqualTo(new TableRef("legacy", "Sales.OrderLines"));
        assertThat(copy.to()).isEqualTo(new TableRef("target", "Sales.OrderLines"));
        assertThat(parity.source()).isEqualTo(copy.from());
        assertThat(parity.target()).isEqualTo(new TableRef("target", "OrderLines"));
    }

    @Test
    void theShorthandRefusesANameThatNeedsQuotingAndSaysWhatToWriteInstead() {
        String text = withSteps("""
                - id: parity
                  validate:
                    between: { source: legacy.Sales.Order Lines, target: target.orders_v2 }
                    key: [id]
                """);

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].validate.between.source",
                "must be connection.table or connection.schema.table (letters, digits, _), or"
                        + " {connection, schema, table} for any other name, not 'legacy.Sales.Order Lines'"));
    }

    @Test
    void aKeyColumnNoDatabaseCouldHoldIsRefused() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id, \"line\\nno\"]"));

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].backfill.key[1]",
                "'line\nno' is not a column name (1 to 63 bytes, no control characters)"));
    }

    @Test
    void columnsAreTakenAsTheDatabaseSpellsThemSpacesQuotesAndReservedWordsIncluded() {
        String text = withSteps(COPY_STEP.replace("key: [id]", """
                key: ['Order "Id"', line no]
                    columns: { 'Order "Id"': 'Order "Id"', line no: line no, select: select, id; drop table x: Note }
                """.strip()));

        BackfillStep copy = (BackfillStep) parser.parse(text, FILE).step("copy").orElseThrow();

        assertThat(copy.key()).containsExactly("Order \"Id\"", "line no");
        assertThat(copy.columns()).containsEntry("select", "select").containsEntry("id; drop table x", "Note");
    }

    @Test
    void unsafeTableInAValidationIsRefused() {
        String text = withSteps("""
                - id: parity
                  validate:
                    between: { source: 'legacy.orders; drop table x', target: target.orders_v2 }
                    key: [id]
                """);

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].validate.between.source",
                "must be connection.table or connection.schema.table (letters, digits, _), or"
                        + " {connection, schema, table} for any other name, not 'legacy.orders; drop table x'"));
    }

    @Test
    void aWithThatWritesIsRefusedInAKpiAndAnAssertionAsInABackfillQuery() {
        String text = withSteps("""
                - id: copy
                  backfill:
                    from: { connection: legacy, query: "with d as (delete from orders returning *) select * from d" }
                    to: { connection: target, table: orders_v2 }
                    key: [id]
                - id: checks
                  validate:
                    kpis:
                      - name: rows
                        source: { connection: legacy, sql: "WITH d AS MATERIALIZED ( Update orders set amount = 0 returning 1) SELECT count(*) FROM d" }
                        target: { connection: target, sql: "with recent as (select * from orders_v2) select count(*) from recent" }
                    assertions:
                      - { name: gone, connection: target, sql: "with x as (insert into audit values (1) returning 1) select 0" }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.from.query", "must only read, but its WITH runs a DELETE"),
                error("phases[0].steps[1].validate.kpis[0].source.sql", "must only read, but its WITH runs an UPDATE"),
                error("phases[0].steps[1].validate.assertions[0].sql", "must only read, but its WITH runs an INSERT"));
    }

    @Test
    void unknownConnectionIsRefusedWhenTheWorkerNamesItsConnections() {
        String text = withSteps(COPY_STEP.replace("connection: target", "connection: archive") + """
                - id: parity
                  validate:
                    between: { source: legacy.orders, target: archive.orders_v2 }
                    key: [id]
                """);

        assertThat(errorsOf(new RunbookParser(WORKER_CONNECTIONS), text)).containsExactly(
                error("phases[0].steps[0].backfill.to.connection",
                        "unknown connection 'archive'; the worker knows [legacy, target]"),
                error("phases[0].steps[1].validate.between.target",
                        "unknown connection 'archive'; the worker knows [legacy, target]"));
        assertThat(new RunbookParser(null).parse(text, FILE).step("copy")).get()
                .isInstanceOfSatisfying(BackfillStep.class, s -> assertThat(s.to().connection()).isEqualTo("archive"));
    }

    @Test
    void stepWithTwoKindsIsRefused() {
        String text = withSteps("""
                - id: copy-and-flag
                  backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: o2 }, key: [id] }
                  flag: { connection: target, name: orders.read_v2, enabled: true }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0]", "a step has exactly one kind, found [backfill, flag]"));
    }

    @Test
    void stepWithoutAKnownKindIsRefused() {
        String text = withSteps("""
                - id: wait
                  sleep: { duration: PT5M }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0]", "a step needs exactly one of [backfill, validate, flag, sql, gate, wait, notify, stream, catchUp, cutover]"),
                error("phases[0].steps[0].sleep", "unknown key"));
    }

    @Test
    void sqlStepWithoutRevertMustSayItIsIrreversible() {
        String text = withSteps("""
                - id: add-column
                  sql: { connection: target, apply: "alter table orders_v2 add column note text" }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(error("phases[0].steps[0].sql.revert",
                "is required; a step that cannot be undone says irreversible: true"));
    }

    @Test
    void sqlStepWithARevertCannotAlsoBeIrreversible() {
        String text = withSteps("""
                - id: add-column
                  sql: { connection: target, apply: "alter table t add column c int", revert: "alter table t drop column c", irreversible: true }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].sql.irreversible", "contradicts the revert given"));
    }

    @Test
    void flagNeedsExactlyOneOfPercentOrEnabled() {
        String both = withSteps("""
                - id: read-v2
                  flag: { connection: target, name: orders.read_v2, enabled: true, percent: 50 }
                """);
        String neither = withSteps("""
                - id: read-v2
                  flag: { connection: target, name: orders.read_v2 }
                """);

        assertThat(errorsOf(parser, both)).containsExactly(
                error("phases[0].steps[0].flag", "needs exactly one of percent or enabled"));
        assertThat(errorsOf(parser, neither)).containsExactly(
                error("phases[0].steps[0].flag", "needs exactly one of percent or enabled"));
    }

    @Test
    void flagPercentOutsideZeroToHundredIsRefused() {
        String text = withSteps("""
                - id: read-v2
                  flag: { connection: target, name: orders.read_v2, percent: 150 }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].flag.percent", "must be between 0 and 100, not 150"));
    }

    @Test
    void unknownRollbackAndTimeoutPoliciesAreRefused() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    onRollback: truncate") + """
                - id: go-no-go
                  gate: { approvers: [ann], timeout: PT1H, onTimeout: approve }
                """);

        assertThat(errorsOf(parser, text)).containsExactly(
                error("phases[0].steps[0].backfill.onRollback", "must be delete-copied or keep, not 'truncate'"),
                error("phases[0].steps[1].gate.onTimeout", "must be rollback, keep-waiting or proceed-if-validated, not 'approve'"));
    }

    @Test
    void otherApiVersionIsRefused() {
        String text = withSteps(COPY_STEP).replace("apiVersion: runbook/v1", "apiVersion: runbook/v2");

        assertThat(errorsOf(parser, text)).containsExactly(error("apiVersion", "must be runbook/v1, not 'runbook/v2'"));
    }

    @Test
    void invalidYamlIsReportedWithItsLineAndColumn() {
        String text = """
                apiVersion: runbook/v1
                name: broken
                phases: [unclosed
                """;

        List<RunbookError> errors = assertRefused(text);

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).file()).isEqualTo(FILE);
        assertThat(errors.get(0).path()).isEqualTo("(file)");
        assertThat(errors.get(0).line()).isEqualTo(3);
        assertThat(errors.get(0).message())
                .startsWith("not valid YAML: while parsing a flow sequence")
                .contains("expected ',' or ']'");
    }

    @Test
    void keyGivenTwiceIsRefusedRatherThanSilentlyOverwritten() {
        String text = withSteps(COPY_STEP.replace("key: [id]", "key: [id]\n    onRollback: keep\n    onRollback: delete-copied"));

        List<RunbookError> errors = errorsOf(parser, text);

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path()).isEqualTo("(file)");
        assertThat(errors.get(0).message()).contains("Duplicate field 'onRollback'");
    }

    @Test
    void topLevelNotifyNamesTheWebhookForAutomaticNotificationsAndIsCheckedLikeANotifyStep() {
        String text = withSteps(COPY_STEP).replace("phases:", "notify: { webhook: ops-channel }\nphases:");
        RunbookParser checking = new RunbookParser(null, Set.of("ops-channel"));

        assertThat(checking.parse(text, FILE).autoNotify()).isEqualTo(new AutoNotify("ops-channel"));
        assertThat(checking.parse(withSteps(COPY_STEP), FILE).autoNotify()).isNull();
        assertThat(errorsOf(checking, text.replace("ops-channel", "ops"))).containsExactly(
                error("notify.webhook", "unknown webhook 'ops'; the worker knows [ops-channel]"));
    }

    @Test
    void documentThatIsNotAMappingIsRefused() {
        assertThat(errorsOf(parser, "- apiVersion: runbook/v1\n")).containsExactly(error("(file)", "must be a mapping"));
        assertThat(errorsOf(parser, "")).containsExactly(error("(file)", "must be a mapping"));
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        String text = """
                apiVersion: runbook/v0
                name: Orders To V2
                phases:
                  - name: copy
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: 'db.orders; drop table x' }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                          chunkRows: 0
                  - name: decide
                    steps:
                      - id: go
                        gate: { approvers: [ann, bob], quorum: 3, timeout: soon }
                """;

        assertThatThrownBy(() -> parser.parse(text, FILE))
                .isInstanceOfSatisfying(InvalidRunbookException.class, e -> {
                    assertThat(withoutPositions(e.errors())).containsExactlyInAnyOrder(
                            error("apiVersion", "must be runbook/v1, not 'runbook/v0'"),
                            error("name", "must be lowercase letters, digits and dashes (it becomes part of workflow ids)"),
                            error("phases[0].steps[0].backfill.from.table", "'db.orders; drop table x' is not a"
                                    + " table name: schema.table takes letters, digits and _; give any other name as"
                                    + " schema and table apart"),
                            error("phases[0].steps[0].backfill.chunkRows", "must be 1 to 1000000, not 0"),
                            error("phases[1].steps[0].gate.quorum", "must be <= number of approvers (2)"),
                            error("phases[1].steps[0].gate.timeout",
                                    "must be an ISO-8601 duration such as PT30M or P3D, not 'soon'"));
                    assertThat(e.getMessage()).startsWith("6 error(s) in runbook:\n  test.yaml:1:1: apiVersion: ")
                            .contains("\n  test.yaml:15:40: phases[1].steps[0].gate.quorum: must be <= number");
                });
    }

    /** A valid runbook around {@code steps}, a YAML list of steps written at column zero. */
    private static String withSteps(String steps) {
        return """
                apiVersion: runbook/v1
                name: test-runbook
                phases:
                  - name: only
                    steps:
                """ + steps.indent(6);
    }

    private static RunbookError error(String path, String message) {
        return new RunbookError(FILE, path, message);
    }

    private List<RunbookError> assertRefused(String text) {
        try {
            parser.parse(text, FILE);
        } catch (InvalidRunbookException e) {
            return e.errors();
        }
        throw new AssertionError("expected the runbook to be refused");
    }

    private static List<RunbookError> withoutPositions(List<RunbookError> errors) {
        return errors.stream().map(RunbookError::withoutPosition).toList();
    }

    private static List<RunbookError> errorsOf(RunbookParser parser, String text) {
        Runbook parsed;
        try {
            parsed = parser.parse(text, FILE);
        } catch (InvalidRunbookException e) {
            return withoutPositions(e.errors());
        }
        throw new AssertionError("expected the runbook to be refused, but it parsed as " + parsed);
    }
}
