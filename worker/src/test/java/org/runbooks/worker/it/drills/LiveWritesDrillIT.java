package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change capture under fire: an application writes to the source the whole time ({@link LiveWrites}: inserts, updates
 * of small columns and of large notes, deletes, transactions over several orders and an unstreamed table) while a
 * runbook streams {@code orders} into {@code orders_v2}, copies it, catches up, validates and waits at a gate, and the
 * worker process is SIGKILLed at random moments during the copy and during the stream's apply, a new one started each
 * time. Once the writes stop and the stream has applied them, the target must equal the source by a digest of the rows
 * in key order that the database computes, with the number of orders the application's own count says, none lost and
 * none twice; the approved runbook completes, its stream ends stopped and no replication slot is left behind. The
 * random moments come from a seed that the figures print; {@code -Drunbooks.drills.seed=N} replays them.
 * PostgreSQL to PostgreSQL, and MariaDB to MariaDB (which needs {@code RUNBOOKS_WITH_MARIADB=1}).
 */
@ExtendWith(DrillReport.Watcher.class)
class LiveWritesDrillIT {

    private static final String RUNBOOK = "worker/src/test/resources/drill-runbooks/live-writes-drill.yaml";
    private static final String STREAM_STEP = "orders-stream";
    private static final int CHUNK_ROWS = 5_000;
    /**
     * Longest a killed step may take to go on: its heartbeat timeout (10 s for a copy, 30 s for the stream's apply), a
     * retry backoff, a worker start.
     */
    private static final Duration RECOVERY = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);
    private final KillMoments moments = new KillMoments();

    @Test
    @DisplayName("live-writes")
    void postgresUnderLiveWritesAndKillsEndsWithTargetEqualToSource() throws Exception {
        int rows = size.pick(100_000, 1_000_000);
        drill("live-writes", "drill-live-writes", LiveDatabases.postgres(services, "drill_live", rows), rows);
    }

    /**
     * Was off for a defect (issue 15): once the writes stopped, the binlog went quiet and the stream heard nothing
     * from it for up to 48 s, so its lag grew though the target equalled the source. The binlog client now asks the
     * server for a heartbeat every 4 s (MariaDbStreamSource), and MariaDbStreamIT#aQuietMariaDbSourceKeepsAStreamAtLagZero
     * holds it.
     */
    @Test
    @DisplayName("live-writes-mariadb")
    void mariaDbUnderLiveWritesAndKillsEndsWithTargetEqualToSource() throws Exception {
        int rows = size.pick(100_000, 1_000_000);
        drill("live-writes-mariadb", "drill-live-writes-mariadb", LiveDatabases.mariaDb(services, "drill_live", rows),
                rows);
    }

    private void drill(String name, String workflowId, LiveDatabases dbs, int rows) throws Exception {
        int copyKills = size.pick(2, 6);
        int applyKills = size.pick(1, 5);
        Instant began = Instant.now();
        ScenarioRun run = ScenarioRun.ofFile(temporal, workflowId, RUNBOOK);
        String streamId = workflowId + "/stream/" + STREAM_STEP;
        KillableWorker worker = KillableWorker.start(dbs.settings(), "drill-worker-" + name + ".log");
        LiveWrites writes = LiveWrites.start(dbs, rows, moments.seed);
        Duration finalWait;
        Duration digestTime;
        JsonNode stream;
        JsonNode ended;
        try (worker) {
            try (writes) {
                writes.awaitAcknowledged(50);
                run.start();
                killDuringCopy(worker, dbs, run, rows, copyKills);
                killDuringApply(worker, dbs, streamId, applyKills);
                Progress.awaitState(temporal, run, "AWAITING_APPROVAL");
                if (dbs.kind().equals("PostgreSQL")) {
                    assertThat(dbs.slots()).as("the stream holds a slot while it runs").isEqualTo(1);
                }
                // The application goes on writing past the validation, into the gate's wait.
                writes.awaitAcknowledged(writes.acknowledged() + 200);
            }
            Instant stopped = Instant.now();
            Duration[] lastPair = new Duration[1];
            Awaits.until("the target to equal the source once the writes stopped", Duration.ofMinutes(3),
                    Duration.ofMillis(500), () -> {
                        Instant from = Instant.now();
                        List<String> pair = List.of(dbs.sourceDigest(), dbs.targetDigest());
                        lastPair[0] = Duration.between(from, Instant.now());
                        return pair;
                    }, c -> c.get(0).equals(c.get(1)));
            finalWait = Duration.between(stopped, Instant.now());
            digestTime = lastPair[0];
            // The stream workflow reads its lag every 10 s; the runbook's status gets it only when its band changes.
            String lagQuery = "temporal workflow query --workflow-id " + streamId + " --name stream --output json";
            stream = Awaits.until("the stream to read its lag as 0", Duration.ofMinutes(1), Duration.ofMillis(500),
                    () -> JSON.readTree(temporal.run(lagQuery)).at("/queryResult/0"),
                    s -> s.at("/lagSeconds").asDouble(-1) == 0);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
            // The runbook's end asks its stream to stop and drops the slot; the stream workflow closes just after,
            // on a worker that must still be running.
            ended = JSON.readTree(temporal.run("temporal workflow result --workflow-id " + streamId
                    + " --output json"));
        } finally {
            run.terminateIfOpen();
            temporal.tryRun("temporal workflow terminate --workflow-id " + streamId + " --reason test-ended");
        }
        assertThat(ended.at("/result/state").asText()).as("the stream ended stopped: " + ended).isEqualTo("stopped");
        String equal = assertEqual(dbs, writes);
        assertThat(dbs.slots()).as("no replication slot left behind").isZero();
        assertThat(dbs.onTarget("order_events")).as("the unstreamed table stays on the source").isFalse();
        assertThat(worker.kills("copy")).as("kills that landed in the copy").isEqualTo(copyKills);
        assertThat(worker.kills("apply")).as("kills that landed in the stream's apply").isEqualTo(applyKills);
        DrillReport.passed(name, size, dbs.kind() + ", " + DrillReport.count(rows) + " rows; "
                + DrillReport.count(writes.acknowledged()) + " writes acknowledged; " + worker.kills() + " SIGKILLs ("
                + worker.killsByPlace() + "); seed " + moments.seed, "COMPLETED in "
                + DrillReport.seconds(Duration.between(began, Instant.now())) + "; " + equal + "; slowest resume: "
                + worker.longestRecoveries() + "; final lag " + stream.at("/lagSeconds").asDouble()
                + " s (target equal " + DrillReport.seconds(finalWait) + " after the writes stopped, one digest pair"
                + " taking " + DrillReport.seconds(digestTime) + "); stream stopped"
                + (dbs.kind().equals("PostgreSQL") ? ", slot dropped" : ""));
    }

    /**
     * Each kill lands after 1 or 2 more chunks have committed and a random pause of up to 300 ms, never on the last
     * chunk, so it hits a copy in flight; the copy has resumed when one more chunk commits.
     */
    private void killDuringCopy(KillableWorker worker, LiveDatabases dbs, ScenarioRun run, int rows, int kills)
            throws Exception {
        long lastChunk = rows / CHUNK_ROWS;
        for (int i = 0; i < kills; i++) {
            long target = dbs.chunks() + 1 + moments.next(2);
            if (target >= lastChunk - 1) {
                break;
            }
            Awaits.until(target + " chunks to commit", Progress.LONG, Duration.ofMillis(20), dbs::chunks,
                    c -> c >= target);
            moments.pause(300);
            long atKill = dbs.chunks();
            worker.killAndAwait("copy", RECOVERY, () -> dbs.chunks() > atKill,
                    () -> PendingActivities.of(temporal, run.workflowId() + "/sync"));
        }
    }

    /**
     * The stream holds its changes until the copy completed, then applies the backlog and goes on with the live
     * changes. Each kill lands up to 2 s after the apply has committed more changes; the apply has resumed when its
     * committed count (the target's {@code runbook_stream_positions}, moved in the transaction of the rows it applied)
     * moves again.
     */
    private void killDuringApply(KillableWorker worker, LiveDatabases dbs, String streamId, int kills)
            throws Exception {
        for (int i = 0; i < kills; i++) {
            long before = dbs.applied();
            Awaits.until("the stream to apply more changes", Progress.LONG, Duration.ofMillis(20), dbs::applied,
                    n -> n > before);
            moments.pause(2000);
            long atKill = dbs.applied();
            worker.killAndAwait("apply", RECOVERY, () -> dbs.applied() > atKill,
                    () -> PendingActivities.of(temporal, streamId));
        }
    }

    /** Target == source by digest, the order count the application expects on both, none lost, none twice. */
    private static String assertEqual(LiveDatabases dbs, LiveWrites writes) throws Exception {
        long source = dbs.sourceOrders();
        long target = dbs.targetOrders();
        long distinct = dbs.targetDistinctKeys();
        String sourceDigest = dbs.sourceDigest();
        assertThat(dbs.targetDigest()).as("target digest == source digest").isEqualTo(sourceDigest);
        assertThat(source).as("orders on the source, as the application counted its acknowledged writes")
                .isEqualTo(writes.expectedOrders());
        long lost = source - distinct;
        long duplicated = target - distinct;
        assertThat(lost).as("rows lost").isZero();
        assertThat(duplicated).as("rows duplicated").isZero();
        return "target md5 == source md5 (" + sourceDigest.substring(0, 8) + "), " + DrillReport.count(target)
                + " orders as the application counted, " + lost + " lost, " + duplicated + " duplicated";
    }
}
