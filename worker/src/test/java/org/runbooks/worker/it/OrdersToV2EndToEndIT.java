package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders-to-v2 runbook end to end: the real worker, a real Temporal dev server, two real PostgreSQL databases,
 * and the exact {@code temporal} commands README documents.
 */
class OrdersToV2EndToEndIT {

    static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id orders-to-v2 --input '{\"file\":\"runbooks/orders-to-v2.yaml\",\"startedBy\":\"alice\"}'";
    static final String STATUS = "temporal workflow query --workflow-id orders-to-v2 --name status";
    static final String APPROVE = "temporal workflow signal --workflow-id orders-to-v2 --name approve"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"parity is clean\"}'";
    static final String REJECT = "temporal workflow signal --workflow-id orders-to-v2 --name reject"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"orders-owner\",\"comment\":\"p99 latency doubled\"}'";
    static final String APPROVE_UPDATE = "temporal workflow update execute --workflow-id orders-to-v2 --name approveGate"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"parity is clean\"}'";
    static final String ROLLBACK = "temporal workflow signal --workflow-id orders-to-v2 --name rollback"
            + " --input '{\"by\":\"carol\",\"reason\":\"error rate on the canary\"}'";
    static final String CANCEL = "temporal workflow cancel --workflow-id orders-to-v2";
    static final String DESCRIBE = "temporal workflow describe --workflow-id orders-to-v2 --output json";
    static final String AWAITING =
            "temporal workflow list --query 'RunbookState IN (\"AwaitingApproval\", \"StepFailed\", \"Paused\")'";
    static final String RESULT = "temporal workflow result --workflow-id orders-to-v2 --output json";
    static final String SHOW = "temporal workflow show --workflow-id %s --output json";

    private static final int ROWS = 25_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServices services;
    private static TemporalCli temporal;

    @BeforeAll
    static void services() {
        services = TestServices.get();
        temporal = new TemporalCli(services);
    }

    @Test
    void approvedRunbookCopiesEveryRowValidatesAndFlipsTheFlag() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "e2e_approve", ROWS);
        try (RunningWorker worker = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START);
            JsonNode waiting = awaitState("AWAITING_APPROVAL");
            assertThat(waiting.at("/gate/gate").asText()).isEqualTo("go-no-go");
            assertThat(waiting.at("/rowsCopied").asLong()).isEqualTo(ROWS);
            assertThat(waiting.at("/gate/approveCommand").asText())
                    .startsWith("temporal workflow signal --workflow-id orders-to-v2 --name approve");
            assertThat(dbs.flagPercent("orders.read_v2")).isNull();
            awaitListed(AWAITING, "orders-to-v2");

            temporal.run(APPROVE);
            JsonNode result = result();

            assertThat(result.at("/status").asText()).isEqualTo("COMPLETED");
            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.targetRows()).isEqualTo(ROWS);
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
            assertThat(result.at("/result/audit/0/by").asText()).isEqualTo("dba-oncall");

            assertThat(httpGet(worker.url() + "/health")).contains("\"status\":\"UP\"");
            awaitMetric(worker.url() + "/prometheus", "temporal_workflow_completed_total");

            replayAndKeep("approved");
        }
    }

    @Test
    void rejectedRunbookRemovesTheCopiedRowsAndEndsRolledBack() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "e2e_reject", ROWS);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START);
            awaitState("AWAITING_APPROVAL");
            assertThat(dbs.targetRows()).isEqualTo(ROWS);

            temporal.run(REJECT);
            JsonNode result = result();

            assertThat(result.at("/status").asText()).isEqualTo("COMPLETED");
            assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(result.at("/result/reason").asText())
                    .isEqualTo("gate go-no-go rejected by orders-owner: p99 latency doubled");
            assertThat(result.at("/result/compensations/0/stepId").asText()).isEqualTo("copy-orders");
            assertThat(result.at("/result/compensations/0/succeeded").asBoolean()).isTrue();
            assertThat(result.at("/result/compensations/0/detail").asText()).startsWith("deleted " + ROWS + " of " + ROWS + " copied rows");
            assertThat(dbs.targetRows()).isZero();
            assertThat(dbs.flagPercent("orders.read_v2")).isNull();
            JsonNode status = JSON.readTree(temporal.run(STATUS + " --output json"));
            assertThat(status.at("/queryResult/0/state").asText()).isEqualTo("ROLLED_BACK");

            replayAndKeep("rejected");
        }
    }

    @Test
    void updateRefusesAnUnknownApproverAndRollbackSignalUndoesTheCopy() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "e2e_rollback", ROWS);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START);
            awaitState("AWAITING_APPROVAL");

            TemporalCli.Result refused = temporal.tryRun(APPROVE_UPDATE.replace("dba-oncall", "mallory"));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("'mallory' is not an approver of gate 'go-no-go'");

            temporal.run(ROLLBACK);
            JsonNode result = result();

            assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(result.at("/result/reason").asText())
                    .isEqualTo("rollback requested by carol: error rate on the canary");
            assertThat(dbs.targetRows()).isZero();
        }
    }

    @Test
    void cancelRunsTheCompensationsAndApproveByUpdateCompletes() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "e2e_cancel", ROWS);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START);
            awaitState("AWAITING_APPROVAL");
            temporal.run(CANCEL);
            awaitState("ROLLED_BACK");
            assertThat(JSON.readTree(temporal.run(DESCRIBE)).at("/workflowExecutionInfo/status").asText())
                    .isEqualTo("WORKFLOW_EXECUTION_STATUS_CANCELED");
            assertThat(dbs.targetRows()).isZero();

            temporal.run(START);
            awaitState("AWAITING_APPROVAL");
            assertThat(temporal.run(APPROVE_UPDATE)).contains("dba-oncall");
            assertThat(result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
        }
    }

    private static JsonNode awaitState(String state) throws Exception {
        return Awaits.state(temporal, state);
    }

    /** Visibility is eventually consistent, so a just-upserted attribute may take a moment to be searchable. */
    private static void awaitListed(String command, String workflowId) throws Exception {
        Awaits.until("`" + command + "` to list " + workflowId, Duration.ofSeconds(20), Duration.ofMillis(250),
                () -> temporal.run(command), listing -> listing.contains(workflowId));
    }

    /** The SDK reports into Micrometer every 10 s, so a metric may take that long to appear. */
    private static void awaitMetric(String url, String metric) throws Exception {
        Awaits.until(url + " to show " + metric, Duration.ofSeconds(30), Duration.ofMillis(500),
                () -> httpGet(url), page -> page.contains(metric));
    }

    private static String httpGet(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private JsonNode result() throws Exception {
        return JSON.readTree(temporal.run(RESULT));
    }

    private void replayAndKeep(String label) throws Exception {
        List<String> replayed = Histories.replayAndKeep(temporal, services, label, "orders-to-v2",
                List.of("backfill", "validate", "gate", "cutover"));
        assertThat(replayed).as("only phases after a rejection may be missing")
                .containsAll(List.of("orders-to-v2", "orders-to-v2/backfill", "orders-to-v2/validate",
                        "orders-to-v2/gate"));
    }
}
