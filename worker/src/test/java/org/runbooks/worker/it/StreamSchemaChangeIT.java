package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema change on a streamed table, on the real dev server, worker and PostgreSQL: a column added on the source
 * stops the stream (never a silent column drop), and the runbook shows it as a failed step whose resolution is a
 * retry or a rollback, not a skip. A retry before the target has the column fails again and says so; once the target
 * has it, the retry resumes from the committed position, the changes made before and after the source's change
 * arrive, and the runbook completes with the slot dropped.
 */
class StreamSchemaChangeIT {

    private static final String ID = "orders-schema-change";
    private static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id " + ID + " --input '{\"file\":\"runbooks/orders-live-sync.yaml\",\"startedBy\":\"alice\"}'";
    private static final String STATUS = "temporal workflow query --workflow-id " + ID + " --name status";
    private static final String APPROVE = "temporal workflow signal --workflow-id " + ID + " --name approve"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"in step\"}'";
    private static final String RESULT = "temporal workflow result --workflow-id " + ID + " --output json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aColumnAddedOnTheSourceStopsTheStreamAsAFailedStepAndARetryAfterTheTargetHasItResumes() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "stream_schema", 20_000);
        String slots = "select count(*) from pg_replication_slots where database = current_database()";
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START);
            Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("AWAITING_APPROVAL")
                    && s.at("/streams/0/state").asText().equals("applying"));

            execute(services, dbs.legacyUrl, "alter table orders add column channel text not null default 'web'",
                    "update orders set channel = 'shop', note = 'before the retry' where id <= 10");
            JsonNode failed = Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("STEP_FAILED"));
            assertThat(failed.at("/failure/step").asText()).isEqualTo("orders-stream");
            assertThat(failed.at("/failure/reason").asText()).contains("channel").contains("StreamSchemaChanged")
                    .contains("retry");
            assertThat(failed.at("/failure/skipCommand").isNull()).as("a stream is not skipped").isTrue();
            assertThat(failed.at("/streams/0/state").asText()).isEqualTo("failed");
            String retry = failed.at("/failure/retryCommand").asText().replace("YOU", "dba-oncall")
                    .replace("WHY", "channel added on the target");

            temporal.run(retry);
            JsonNode again = Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("STEP_FAILED")
                    && s.at("/failure/reason").asText().contains("lacks"));
            assertThat(again.at("/failure/reason").asText()).contains("[channel]");

            execute(services, dbs.targetUrl, "alter table orders_v2 add column channel text not null default 'web'");
            temporal.run(retry);
            Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("AWAITING_APPROVAL")
                    && s.at("/streams/0/state").asText().equals("applying") && s.at("/failure").isNull());
            execute(services, dbs.legacyUrl, "update orders set channel = 'app', note = 'after the retry'"
                    + " where id between 11 and 20", "delete from orders where id = 21");
            Awaits.until("the target caught up with the source", Duration.ofMinutes(2), Duration.ofMillis(500),
                    () -> List.of(dbs.legacyChecksum(), dbs.targetChecksum()), c -> c.get(0).equals(c.get(1)));
            assertThat(dbs.scalar(dbs.targetUrl, "select count(*) from orders_v2 where channel = 'shop'"))
                    .as("the changes made before the retry arrived").isEqualTo("10");

            temporal.run(APPROVE);
            JsonNode result = JSON.readTree(temporal.run(RESULT)).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.scalar(dbs.legacyUrl, slots)).as("no slot left behind").isEqualTo("0");
            assertThat(temporal.run("temporal workflow show --workflow-id " + ID + " --output json"))
                    .contains("resolveFailure");
            Histories.replayAndKeep(temporal, services, "v11-stream-retried", ID,
                    List.of("sync", "decide", "stream/orders-stream"));
        }
    }

    private static void execute(TestServices services, String url, String... sql) throws Exception {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
