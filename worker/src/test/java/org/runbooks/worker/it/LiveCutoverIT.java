package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.runbooks.cutover.LiveClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reversible cutover on the real dev server, worker and PostgreSQL, driven by README's commands while a live
 * client (an application that reads its write flag, cached for 1 s, and writes where it points) writes the whole
 * time: stream, backfill and catch-up, a go/no-go gate, a switch whose catch-up cannot finish (the target's table is
 * locked, so the stream cannot apply) and that aborts on its own with writes resumed on the source, the retry that
 * switches, a soak on the target with the reverse stream running, and a rollback that switches back through it.
 * Every acknowledged write is on the side live at the end, both sides are equal by PostgreSQL's md5 in key order
 * (but for the keys the application wrote after the rollback signal, which only the source holds), no replication
 * slot is left, and the stalls are printed.
 */
class LiveCutoverIT {

    static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id orders-live-cutover"
            + " --input '{\"file\":\"runbooks/orders-live-cutover.yaml\",\"startedBy\":\"alice\"}'";
    static final String STATUS = "temporal workflow query --workflow-id orders-live-cutover --name status";
    static final String APPROVE = "temporal workflow signal --workflow-id orders-live-cutover --name approve"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"in step\"}'";
    static final String RETRY = "temporal workflow signal --workflow-id orders-live-cutover --name resolveFailure"
            + " --input '{\"step\":\"switch\",\"action\":\"retry\",\"by\":\"carol\",\"reason\":\"caught up again\"}'";
    static final String ROLLBACK = "temporal workflow signal --workflow-id orders-live-cutover --name rollback"
            + " --input '{\"by\":\"carol\",\"reason\":\"errors on orders_v2\"}'";
    static final String RESULT = "temporal workflow result --workflow-id orders-live-cutover --output json";

    private static final int ROWS = 20_000;
    private static final int WRITES_PER_SECOND = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLiveApplicationSwitchesAbortsRetriesAndSwitchesBackLosingNothing() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md"))).as("README shows these commands as run here")
                .contains(START, RETRY, ROLLBACK);
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        LiveOrders dbs = new LiveOrders(services, "live_cutover", ROWS);
        LiveClient client = dbs.client(WRITES_PER_SECOND, 16);
        Thread writer = new Thread(client, "live-client");
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            temporal.run(START);
            Awaits.status(temporal, STATUS, s -> s.at("/gate/gate").asText().equals("go-no-go"));
            assertThat(dbs.missingOn(client, LiveClient.SOURCE)).isEmpty();

            Duration beforeAbort = client.takeLongestStall();
            long abortedAt;
            try (Connection lock = services.connect(dbs.targetUrl)) {
                // The stream cannot apply into a table another transaction holds: its catch-up cannot finish.
                lock.setAutoCommit(false);
                try (Statement st = lock.createStatement()) {
                    st.execute("lock table orders_v2 in share mode");
                }
                temporal.run(APPROVE);
                JsonNode failed = Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("STEP_FAILED"));
                abortedAt = client.acknowledged();
                assertThat(failed.toString()).as("status says why").contains("aborted on its own")
                        .contains("nothing was switched");
                System.out.println("live cutover: the aborted switch: " + failed.at("/failure"));
                client.awaitAcknowledged(abortedAt, 50, Duration.ofSeconds(30));
                assertThat(client.lastSide()).as("writes resumed on the source").isEqualTo(LiveClient.SOURCE);
                assertThat(dbs.missingOn(client, LiveClient.SOURCE)).isEmpty();
                lock.rollback();
            }
            Duration abortStall = client.takeLongestStall();

            temporal.run(RETRY);
            Awaits.status(temporal, STATUS, s -> s.at("/gate/gate").asText().equals("soak-ok"));
            client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
            long onTarget = client.acknowledged();
            client.awaitAcknowledged(onTarget, 100, Duration.ofSeconds(30));
            Duration switchStall = client.takeLongestStall();
            assertThat(dbs.missingOn(client, LiveClient.TARGET)).isEmpty();
            JsonNode soaking = Awaits.status(temporal, STATUS, s -> s.at("/streams").toString()
                    .contains("\"switch-reverse\""));
            System.out.println("live cutover: streams while soaking: " + soaking.at("/streams"));
            JsonNode switchFreeze = soaking.at("/lastSwitch");
            assertThat(switchFreeze.at("/frozenMillis").asLong()).as("status shows the switch's write freeze")
                    .isPositive();
            // The client waits until its cached flag (at most 1 s old) names the target; the freeze holds until the
            // thaw, so it never waits much longer than the window.
            assertThat(switchStall.toMillis()).as("the client's stall against the window status shows: %s",
                    switchFreeze).isLessThanOrEqualTo(switchFreeze.at("/frozenMillis").asLong() + 1000);

            long rollbackAt = client.acknowledged();
            long signalled = System.nanoTime();
            temporal.run(ROLLBACK);
            client.awaitWritingTo(LiveClient.SOURCE, Duration.ofSeconds(30));
            long backOnSourceMillis = (System.nanoTime() - signalled) / 1_000_000L;
            JsonNode result = JSON.readTree(temporal.run(RESULT)).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
            JsonNode switchBack = result.at("/compensations/0");
            assertThat(switchBack.at("/stepId").asText()).isEqualTo("switch");
            assertThat(switchBack.at("/detail").asText()).contains("switched back");
            client.awaitAcknowledged(client.acknowledged(), 100, Duration.ofSeconds(30));
            Duration rollbackStall = client.takeLongestStall();
            JsonNode switchBackFreeze = Awaits.status(temporal, STATUS, s -> !s.at("/lastSwitchBack").isMissingNode()
                    && !s.at("/lastSwitchBack").isNull()).at("/lastSwitchBack");
            assertThat(switchBackFreeze.at("/frozenMillis").asLong()).as("status shows the switch back's freeze")
                    .isPositive();
            assertThat(switchBack.at("/freeze/frozenMillis").asLong()).isEqualTo(
                    switchBackFreeze.at("/frozenMillis").asLong());
            assertThat(rollbackStall.toMillis()).as("the client's stall at the switch back against %s",
                    switchBackFreeze).isLessThanOrEqualTo(switchBackFreeze.at("/frozenMillis").asLong() + 1000);
            client.stop();
            writer.join(Duration.ofSeconds(30));
            assertThat(client.failure()).as("the live client's writes").isNull();

            assertThat(dbs.missingOn(client, LiveClient.SOURCE))
                    .as("every acknowledged write is on the source, live again").isEmpty();
            Set<Long> sinceRollback = client.idsWrittenAfter(rollbackAt);
            assertThat(dbs.digest(LiveClient.SOURCE, sinceRollback))
                    .as("both sides equal but for the %d keys written after the rollback signal",
                            sinceRollback.size())
                    .isEqualTo(dbs.digest(LiveClient.TARGET, sinceRollback));
            assertThat(dbs.slots()).as("no slot left behind").isZero();
            System.out.printf("live cutover: %d writes acknowledged, %d refused by a freeze and retried; longest"
                            + " stall before the switch %d ms, at the aborted switch %d ms, at the switch %d ms, at the"
                            + " switch back %d ms; rollback signal to writes on the source %d ms; switch back: %s;"
                            + " status: switch %s, switch back %s%n",
                    client.acknowledged(), client.refusals(), beforeAbort.toMillis(), abortStall.toMillis(),
                    switchStall.toMillis(), rollbackStall.toMillis(), backOnSourceMillis,
                    switchBack.at("/detail").asText(), switchFreeze, switchBackFreeze);
            Histories.replayAndKeep(temporal, services, "v12-cutover", "orders-live-cutover", List.of("sync",
                    "go-no-go", "switch", "soak", "stream/orders-stream", "stream/switch-reverse"));
        } finally {
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
    }
}
