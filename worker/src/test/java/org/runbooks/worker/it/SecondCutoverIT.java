package org.runbooks.worker.it;

import org.runbooks.cutover.LiveClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second cutover: a live client writes through a switch, a rollback that switches back, a new run of the
 * same runbook file and a second switch. Every acknowledged write is on the target, live at the end, and both sides
 * are equal by md5 once the client stops and the reverse stream has applied.
 */
class SecondCutoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVE_SOAK = "temporal workflow signal --workflow-id orders-live-cutover --name approve"
            + " --input '{\"gate\":\"soak-ok\",\"by\":\"dba-oncall\",\"comment\":\"soaked\"}'";

    @Test
    void aRunStartedAgainAfterARollbackSwitchesAgainLosingNothing() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        LiveOrders dbs = new LiveOrders(services, "second_cutover", 20_000);
        LiveClient client = dbs.client(50, 23);
        Thread writer = new Thread(client, "live-client");
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            for (int run = 1; run <= 2; run++) {
                temporal.run(LiveCutoverIT.START);
                JsonNode atGate = Awaits.status(temporal, LiveCutoverIT.STATUS,
                        s -> s.at("/gate/gate").asText().equals("go-no-go"));
                assertThat(atGate.at("/evidence/0/passed").asBoolean()).as("run %d's live validation", run).isTrue();
                System.out.printf("second cutover: run %d's validation: %s; repair: %s%n", run,
                        atGate.at("/evidence/0/detail").asText(), atGate.at("/evidence/0/repair/detail").asText());
                temporal.run(LiveCutoverIT.APPROVE);
                Awaits.status(temporal, LiveCutoverIT.STATUS, s -> s.at("/gate/gate").asText().equals("soak-ok"));
                client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
                client.awaitAcknowledged(client.acknowledged(), 50, Duration.ofSeconds(30));
                assertThat(dbs.missingOn(client, LiveClient.TARGET)).as("run %d on the target", run).isEmpty();
                if (run == 1) {
                    temporal.run(LiveCutoverIT.ROLLBACK);
                    client.awaitWritingTo(LiveClient.SOURCE, Duration.ofSeconds(30));
                    JsonNode result = JSON.readTree(temporal.run(LiveCutoverIT.RESULT)).at("/result");
                    assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
                    client.awaitAcknowledged(client.acknowledged(), 50, Duration.ofSeconds(30));
                    assertThat(dbs.missingOn(client, LiveClient.SOURCE)).as("after the rollback").isEmpty();
                }
            }
            dbs.stopAndAwaitEqual(client, writer, LiveClient.TARGET);
            temporal.run(APPROVE_SOAK);
            JsonNode result = JSON.readTree(temporal.run(LiveCutoverIT.RESULT)).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.slots()).as("no slot left behind").isZero();
            Histories.replayAndKeep(temporal, services, "second-cutover", "orders-live-cutover", List.of("sync",
                    "go-no-go", "switch", "soak", "stream/orders-stream", "stream/switch-reverse"));
            System.out.printf("second cutover: %d writes acknowledged, %d refused by a freeze and retried, longest"
                    + " stall %d ms%n", client.acknowledged(), client.refusals(), client.longestStall().toMillis());
        } finally {
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
    }
}
