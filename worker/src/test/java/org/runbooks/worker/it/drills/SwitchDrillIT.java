package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.cutover.LiveClient;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.LiveOrders;
import org.runbooks.worker.it.RunningWorker;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switch and the switch back, over and over under a steady write load: each round runs
 * runbooks/orders-live-cutover.yaml (stream, copy, catch-up, gate, cutover, soak gate) while a live client writes
 * 50 times a second where its flag points, then rolls it back. Measured per round: the write unavailability at the
 * switch as the application sees it (the longest a write waited, first attempt to acknowledgement, while the runbook
 * switched), and the time from the rollback signal to the first write acknowledged on the source. Every round
 * loses no acknowledged write and leaves no replication slot.
 */
@ExtendWith(DrillReport.Watcher.class)
class SwitchDrillIT {

    private static final String FILE = "runbooks/orders-live-cutover.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("switch-and-back")
    void switchesAndSwitchesBackUnderSteadyWritesLosingNothing() throws Exception {
        int rounds = size.pick(2, 20);
        LiveOrders dbs = new LiveOrders(services, "drill_switch", 20_000);
        LiveClient client = dbs.client(50, 7);
        Thread writer = new Thread(client, "live-client");
        long[] switchStalls = new long[rounds];
        long[] backOnSource = new long[rounds];
        long[] toFlip = new long[rounds];
        List<String> switchedBack = new ArrayList<>();
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            for (int round = 0; round < rounds; round++) {
                String id = "drill-switch-" + round;
                String status = "temporal workflow query --workflow-id " + id + " --name status";
                temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + id
                        + " --input '{\"file\":\"" + FILE + "\",\"startedBy\":\"alice\"}'");
                Awaits.status(temporal, status, s -> s.at("/gate/gate").asText().equals("go-no-go"));
                client.takeLongestStall();
                temporal.run("temporal workflow signal --workflow-id " + id + " --name approve --input"
                        + " '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"drill\"}'");
                JsonNode soaking = Awaits.status(temporal, status, s -> s.at("/gate/gate").asText()
                        .equals("soak-ok"));
                toFlip[round] = soaking.at("/lastSwitch/beforeFlipMillis").asLong(-1);
                assertThat(soaking.at("/lastSwitch/frozenMillis").asLong()).as("round %d: status shows the freeze",
                        round).isPositive();
                client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
                client.awaitAcknowledged(client.acknowledged(), 50, Duration.ofSeconds(30));
                switchStalls[round] = client.takeLongestStall().toMillis();
                assertThat(dbs.missingOn(client, LiveClient.TARGET)).as("round %d on the target", round).isEmpty();

                long signalled = System.nanoTime();
                temporal.run("temporal workflow signal --workflow-id " + id + " --name rollback --input"
                        + " '{\"by\":\"carol\",\"reason\":\"drill\"}'");
                client.awaitWritingTo(LiveClient.SOURCE, Duration.ofSeconds(30));
                backOnSource[round] = (System.nanoTime() - signalled) / 1_000_000L;
                JsonNode result = JSON.readTree(temporal.run("temporal workflow result --workflow-id " + id
                        + " --output json")).at("/result");
                assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
                String detail = result.at("/compensations/0/detail").asText();
                assertThat(detail).as("round %d", round).startsWith("switched back");
                switchedBack.add(detail.replaceAll(".*(writes on target frozen \\d+ ms).*", "$1"));
                client.awaitAcknowledged(client.acknowledged(), 20, Duration.ofSeconds(30));
                assertThat(dbs.missingOn(client, LiveClient.SOURCE)).as("round %d on the source", round).isEmpty();
                assertThat(dbs.slots()).as("round %d: no slot left", round).isZero();
                // The next round starts the migration over, as an operator would after a rollback.
                dbs.emptyTarget();
            }
            client.stop();
            writer.join(Duration.ofSeconds(30));
            assertThat(client.failure()).as("the live client's writes").isNull();
            assertThat(dbs.missingOn(client, LiveClient.SOURCE)).isEmpty();
        } finally {
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
        long[] stalls = switchStalls.clone();
        long[] backs = backOnSource.clone();
        long[] flips = toFlip.clone();
        Arrays.sort(stalls);
        Arrays.sort(backs);
        Arrays.sort(flips);
        String figures = String.format(Locale.ROOT, "%d switches and switches back under 50 writes/s: write stall at"
                        + " the switch p50 %d ms, p95 %d ms, max %d ms (bar: p95 2,000 ms); rollback signal to writes"
                        + " on the source p50 %d ms, max %d ms (bar: 10 s); freeze to flip (status) p50 %d ms, p95 %d"
                        + " ms, max %d ms; %d writes acknowledged, %d refused by a freeze and retried, 0 lost; each"
                        + " round: %s", rounds, percentile(stalls, 50),
                percentile(stalls, 95), stalls[rounds - 1], percentile(backs, 50), backs[rounds - 1],
                percentile(flips, 50), percentile(flips, 95), flips[rounds - 1],
                client.acknowledged(), client.refusals(), Arrays.toString(switchStalls));
        System.out.println("switch drill: " + figures + "; switch back: " + switchedBack);
        assertThat(backs[rounds - 1]).as("rollback signal to writes on the source").isLessThan(10_000);
        DrillReport.passed("switch-and-back", size, rounds + " rounds", figures);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
