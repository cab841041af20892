package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checking a runbook before anything runs, on real PostgreSQL: the launcher's {@code validate} and {@code plan}
 * subcommands as README writes them, in a shell whose {@code java} is 17, and a runbook started with README's command
 * on a database where its target table is missing, which fails at its first activity and touches nothing.
 */
class PlanAndValidateIT {

    static final String VALIDATE = "bin/runbooks validate runbooks/orders-to-v2.yaml";
    static final String PLAN = "bin/runbooks plan runbooks/orders-to-v2.yaml";

    private static final int ROWS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServices services;

    @BeforeAll
    static void services() {
        services = TestServices.get();
    }

    @Test
    void readmeShowsTheLauncherCommandsThisTestRuns() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md"))).contains("\n" + VALIDATE + "\n", "\n" + PLAN + "\n");
    }

    @Test
    void launcherSaysWhichJdkToInstallWhenItFindsNone21OrNewer() throws Exception {
        Path noJdks = Files.createTempDirectory("no-jdks");

        WorkerCommand.Result run = WorkerCommand.run(VALIDATE, Map.of("SERVICES_JVM_DIR", noJdks.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no JDK 21 or newer", "newest found: 17.",
                "sudo apt-get install openjdk-21-jdk-headless", "set JAVA_HOME");
    }

    @Test
    void validateSaysOkForAGoodFileAndPrintsEveryErrorOfABadOne() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "cli_validate", ROWS);
        Path bad = Path.of("target", "it-runbooks", "bad.yaml");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, """
                apiVersion: runbook/v1
                name: bad
                phases:
                  - name: gate
                    steps:
                      - id: go
                        gate: { approvers: [alice], quorum: 2 }
                      - id: copy
                        backfill:
                          from: { connection: archive, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                """);

        WorkerCommand.Result good = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl, VALIDATE);
        WorkerCommand.Result both = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl,
                VALIDATE + " worker/target/it-runbooks/bad.yaml");

        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.lines()).containsExactly("runbooks/orders-to-v2.yaml: ok");
        assertThat(both.exitCode()).as(both.err()).isEqualTo(1);
        assertThat(both.lines()).containsExactly(
                "runbooks/orders-to-v2.yaml: ok",
                "worker/target/it-runbooks/bad.yaml:7:37: phases[0].steps[0].gate.quorum: must be <= number of"
                        + " approvers (1)",
                "worker/target/it-runbooks/bad.yaml:10:19: phases[0].steps[1].backfill.from.connection: unknown"
                        + " connection 'archive'; the worker knows [legacy, target, warehouse]");
    }

    @Test
    void planListsPhasesCompensationsAndRowEstimateAndFailsWhenTheTargetTableIsMissing() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "cli_plan", ROWS);

        WorkerCommand.Result ready = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl, PLAN);
        execute(dbs.targetUrl, "drop table orders_v2");
        String before = snapshot(dbs);
        WorkerCommand.Result missing = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl, PLAN);

        assertThat(ready.exitCode()).as(ready.out() + ready.err()).isZero();
        assertThat(ready.out()).startsWith("Plan for runbook orders-to-v2 (runbooks/orders-to-v2.yaml)\n")
                .contains("Phase 1: backfill\n", "Phase 2: validate\n", "Phase 3: gate\n", "Phase 4: cutover\n")
                .contains("      source rows: 1,000 rows (counted)\n")
                .contains("      compensation: delete from target.orders_v2 the copied rows nobody changed since,"
                        + " if it was empty before the copy (rows written or changed since are kept and listed);"
                        + " otherwise keep them\n")
                .contains("      compensation: restore flag orders.read_v2 on target to its previous value")
                .contains("approvers: orders-owner, dba-oncall; quorum: 1")
                .contains("INFO    runbooks/orders-to-v2.yaml:11:11: phases[0].steps[0].backfill.to (copy-orders):"
                        + " target.orders_v2 is empty\n")
                .endsWith("Result: 0 error(s), 0 warning(s), 1 info\n")
                .doesNotContain(services.pgPassword());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out())
                .contains("ERROR   runbooks/orders-to-v2.yaml:11:11: phases[0].steps[0].backfill.to (copy-orders):"
                        + " table orders_v2 does not exist on connection 'target'\n")
                .contains("ERROR   runbooks/orders-to-v2.yaml:19:45: phases[1].steps[0].validate.between.target"
                        + " (parity): table orders_v2 does not exist on connection 'target'\n")
                .endsWith("Result: 2 error(s), 0 warning(s), 0 info\n");
        assertThat(snapshot(dbs)).as("plan changed nothing").isEqualTo(before);
    }

    @Test
    void runbookWhoseTargetTableIsMissingFailsAtOnceWithItsErrorsAndTouchesNothing() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "cli_start", ROWS);
        execute(dbs.targetUrl, "drop table orders_v2");
        String before = snapshot(dbs);
        TemporalCli temporal = new TemporalCli(services);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            Instant started = Instant.now();
            temporal.run(OrdersToV2EndToEndIT.START);
            String status = awaitClosed(temporal);
            Duration took = Duration.between(started, Instant.now());

            assertThat(status).isEqualTo("WORKFLOW_EXECUTION_STATUS_FAILED");
            assertThat(took).as("no retry of the load").isLessThan(Duration.ofSeconds(30));
            JsonNode failure = failedEvent(temporal).at("/workflowExecutionFailedEventAttributes/failure");
            assertThat(failure.at("/applicationFailureInfo/type").asText()).isEqualTo("InvalidRunbook");
            assertThat(failure.at("/applicationFailureInfo/nonRetryable").asBoolean()).isTrue();
            assertThat(failure.at("/message").asText()).isEqualTo("""
                    2 error(s) in runbook:
                      runbooks/orders-to-v2.yaml:11:11: phases[0].steps[0].backfill.to: table orders_v2 does not \
                    exist on connection 'target' (2 times; also at 19:45)""");
            String history = temporal.run(OrdersToV2EndToEndIT.SHOW.formatted("orders-to-v2"));
            assertThat(history).as("no phase started")
                    .doesNotContain("EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED");
            assertThat(snapshot(dbs)).as("the databases are unchanged").isEqualTo(before);
        }
    }

    private static String awaitClosed(TemporalCli temporal) throws Exception {
        return Awaits.until("the runbook to close", Duration.ofMinutes(1), Duration.ofMillis(200),
                () -> JSON.readTree(temporal.run(OrdersToV2EndToEndIT.DESCRIBE)).at("/workflowExecutionInfo/status")
                        .asText(), status -> !status.equals("WORKFLOW_EXECUTION_STATUS_RUNNING"));
    }

    private static JsonNode failedEvent(TemporalCli temporal) throws Exception {
        JsonNode events = JSON.readTree(temporal.run(OrdersToV2EndToEndIT.SHOW.formatted("orders-to-v2")))
                .at("/events");
        for (JsonNode event : events) {
            if (event.has("workflowExecutionFailedEventAttributes")) {
                return event;
            }
        }
        throw new AssertionError("no WorkflowExecutionFailed event in " + events);
    }

    /** Every table on both sides, the legacy rows' checksum and the target's row counts. */
    private static String snapshot(OrdersDatabases dbs) throws SQLException {
        String tables = "select coalesce(string_agg(table_name, ',' order by table_name), '') from"
                + " information_schema.tables where table_schema = 'public'";
        return "legacy tables: " + dbs.scalar(dbs.legacyUrl, tables) + "; legacy md5: " + dbs.legacyChecksum()
                + "; target tables: " + dbs.scalar(dbs.targetUrl, tables);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
