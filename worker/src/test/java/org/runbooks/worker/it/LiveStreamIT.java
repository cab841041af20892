package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.runbooks.worker.it.drills.LiveDatabases;
import org.runbooks.worker.it.drills.LiveWrites;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream step on the real dev server, worker and PostgreSQL, while an application writes to the source the whole
 * time: the stream's position is fixed before the copy, the copy runs under the writes, the stream applies
 * everything since its start once the copy completed and keeps applying at the gate, a pause stops applying, and
 * once the writes stop the target equals the source. Completing the runbook drops the replication slot. Commands are
 * README's.
 */
class LiveStreamIT {

    static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id orders-live-sync"
            + " --input '{\"file\":\"runbooks/orders-live-sync.yaml\",\"startedBy\":\"alice\"}'";
    static final String STATUS = "temporal workflow query --workflow-id orders-live-sync --name status";
    static final String STREAM = "temporal workflow query --workflow-id orders-live-sync/stream/orders-stream"
            + " --name stream";
    static final String PAUSE = "temporal workflow signal --workflow-id orders-live-sync --name pause"
            + " --input '{\"by\":\"carol\",\"reason\":\"source under pressure\"}'";
    static final String RESUME = "temporal workflow signal --workflow-id orders-live-sync --name resume"
            + " --input '{\"by\":\"carol\",\"reason\":\"better now\"}'";
    static final String APPROVE = "temporal workflow signal --workflow-id orders-live-sync --name approve"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"in step\"}'";
    static final String RESULT = "temporal workflow result --workflow-id orders-live-sync --output json";

    private static final int ROWS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLiveSourceEndsEqualOnTheTargetAndTheSlotIsDroppedAtTheEnd() throws Exception {
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md")))
                .as("README shows these commands as run here").contains(START, STATUS, STREAM);
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "live_stream", ROWS);
        String slots = "select count(*) from pg_replication_slots where database = current_database()";
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            LiveWrites writer = LiveWrites.start(LiveDatabases.postgres(services, dbs), ROWS, 42);
            try (writer) {
                writer.awaitAcknowledged(50);
                temporal.run(START);
                Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("AWAITING_APPROVAL"));
                JsonNode applying = Awaits.status(temporal, STATUS,
                        s -> s.at("/streams/0/state").asText().equals("applying"));
                assertThat(applying.at("/streams/0/step").asText()).isEqualTo("orders-stream");
                assertThat(dbs.scalar(dbs.legacyUrl, slots)).as("the stream holds a slot").isEqualTo("1");

                temporal.run(PAUSE);
                Awaits.status(temporal, STATUS, s -> s.at("/streams/0/state").asText().equals("paused"));
                long atPause = writer.acknowledged();
                writer.awaitAcknowledged(atPause + 100);
                temporal.run(RESUME);
                Awaits.status(temporal, STATUS, s -> s.at("/streams/0/state").asText().equals("applying"));
                writer.awaitAcknowledged(writer.acknowledged() + 100);
            }
            assertThat(writer.acknowledged()).as("the application kept writing").isGreaterThan(250);
            Awaits.until("the target caught up with the source", Duration.ofMinutes(2), Duration.ofMillis(500),
                    () -> List.of(dbs.legacyChecksum(), dbs.targetChecksum()), c -> c.get(0).equals(c.get(1)));
            JsonNode stream = Awaits.until("the stream's own lag reading", Duration.ofSeconds(30),
                    Duration.ofMillis(500), () -> JSON.readTree(temporal.run(STREAM + " --output json")),
                    s -> s.toString().contains("\"changesApplied\":") && !s.toString().contains("\"changesApplied\":0,"));
            assertThat(stream.toString()).contains("\"state\":\"applying\"");

            temporal.run(APPROVE);
            JsonNode result = JSON.readTree(temporal.run(RESULT)).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(result.at("/compensations/0/stepId").asText()).isEqualTo("orders-stream");
            assertThat(result.at("/compensations/0/detail").asText()).contains("dropped replication slot");
            assertThat(dbs.scalar(dbs.legacyUrl, slots)).as("no slot left behind").isEqualTo("0");
            JsonNode stopped = JSON.readTree(temporal.run("temporal workflow result --workflow-id "
                    + "orders-live-sync/stream/orders-stream --output json"));
            assertThat(stopped.at("/status").asText()).isEqualTo("COMPLETED");
            assertThat(stopped.at("/result/state").asText()).isEqualTo("stopped");
            Histories.replayAndKeep(temporal, services, "v8-stream", "orders-live-sync",
                    List.of("sync", "decide", "stream/orders-stream"));
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }
}
