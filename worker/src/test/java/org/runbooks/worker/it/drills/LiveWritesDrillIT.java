package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change capture under fire: an application writes to the source the whole time ({@link LiveWrites}: inserts, updates
 * of small columns and of large out-of-line notes, deletes, transactions over several orders and an unstreamed table)
 * while a runbook streams {@code orders} into {@code orders_v2}, copies it, catches up, validates and waits at a gate,
 * and the worker process is SIGKILLed at random moments during the copy and during the stream's apply, a new one
 * started each time. Once the writes stop and the stream has applied them, the target must equal the source by an md5
 * of the ordered rows that PostgreSQL computes, with the number of orders the application's own count says, none
 * lost and none twice; the approved runbook completes and leaves no replication slot behind. The random moments come
 * from a seed that the figures print; {@code -Drunbooks.drills.seed=N} replays them.
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
    private static final String SLOTS = "select count(*) from pg_replication_slots where database = current_database()";

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);
    private final long seed = Long.getLong("runbooks.drills.seed", new Random().nextLong());
    private final Random random = new Random(seed);

    @Test
    @DisplayName("live-writes")
    void killsDuringCopyAndApplyUnderLiveWritesEndWithTargetEqualToSource() throws Exception {
        int rows = size.pick(100_000, 1_000_000);
        int copyKills = size.pick(2, 6);
        int applyKills = size.pick(1, 5);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_live", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-live-writes", RUNBOOK);
        KillableWorker worker = KillableWorker.start(WorkerProcess.Settings.of(services, dbs.legacyUrl,
                dbs.targetUrl), "drill-worker-live-writes.log");
        LiveWrites writes = LiveWrites.start(services, dbs.legacyUrl, rows, seed);
        Duration finalWait;
        JsonNode stream;
        try (worker) {
            try (writes) {
                writes.awaitAcknowledged(50);
                run.start();
                killDuringCopy(worker, dbs, run, rows, copyKills);
                killDuringApply(worker, dbs, run, applyKills);
                Progress.awaitState(temporal, run, "AWAITING_APPROVAL");
                assertThat(dbs.scalar(dbs.legacyUrl, SLOTS)).as("the stream holds a slot while it runs").isEqualTo("1");
                // The application goes on writing past the validation, into the gate's wait.
                writes.awaitAcknowledged(writes.acknowledged() + 200);
            }
            Instant stopped = Instant.now();
            Awaits.until("the target to equal the source once the writes stopped", Duration.ofMinutes(3),
                    Duration.ofMillis(500), () -> List.of(dbs.legacyChecksum(), dbs.targetChecksum()),
                    c -> c.get(0).equals(c.get(1)));
            finalWait = Duration.between(stopped, Instant.now());
            stream = Progress.await(temporal, run, "report its stream caught up",
                    s -> s.at("/streams/0/lagSeconds").asDouble(-1) == 0);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        } finally {
            run.terminateIfOpen();
            temporal.tryRun("temporal workflow terminate --workflow-id " + run.workflowId() + "/stream/" + STREAM_STEP
                    + " --reason test-ended");
        }
        String equal = assertEqual(dbs, writes);
        assertThat(dbs.scalar(dbs.legacyUrl, SLOTS)).as("no replication slot left behind").isEqualTo("0");
        assertThat(dbs.scalar(dbs.targetUrl, "select to_regclass('order_events')::text"))
                .as("the unstreamed table stays on the source").isNull();
        assertThat(worker.kills("copy")).as("kills that landed in the copy").isEqualTo(copyKills);
        assertThat(worker.kills("apply")).as("kills that landed in the stream's apply").isEqualTo(applyKills);
        DrillReport.passed("live-writes", size, DrillReport.count(rows) + " rows; "
                + DrillReport.count(writes.acknowledged()) + " writes acknowledged; " + worker.kills() + " SIGKILLs ("
                + worker.killsByPlace() + "); seed " + seed, "COMPLETED; " + equal + "; slowest resume: "
                + worker.longestRecoveries() + "; final lag " + stream.at("/streams/0/lagSeconds").asDouble()
                + " s (target equal " + DrillReport.seconds(finalWait) + " after the writes stopped); slot dropped");
    }

    /**
     * Each kill lands after 1 or 2 more chunks have committed and a random pause of up to 300 ms, never on the last
     * chunk, so it hits a copy in flight; the copy has resumed when one more chunk commits.
     */
    private void killDuringCopy(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int rows, int kills)
            throws Exception {
        long lastChunk = rows / CHUNK_ROWS;
        for (int i = 0; i < kills; i++) {
            long target = Progress.chunks(dbs) + 1 + random.nextInt(2);
            if (target >= lastChunk - 1) {
                break;
            }
            Progress.awaitChunks(dbs, target);
            Thread.sleep(random.nextInt(300));
            long atKill = Progress.chunks(dbs);
            worker.killAndAwait("copy", RECOVERY, () -> Progress.chunks(dbs) > atKill,
                    () -> PendingActivities.of(temporal, run.workflowId() + "/sync"));
        }
    }

    /**
     * The stream holds its changes until the copy completed, then applies the backlog and goes on with the live
     * changes. Each kill lands up to 2 s after the apply has committed more changes; the apply has resumed when its
     * committed count (the target's {@code runbook_stream_positions}, moved in the transaction of the rows it applied)
     * moves again.
     */
    private void killDuringApply(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int kills)
            throws Exception {
        String streamId = run.workflowId() + "/stream/" + STREAM_STEP;
        for (int i = 0; i < kills; i++) {
            long before = applied(dbs);
            Awaits.until("the stream to apply more changes", Progress.LONG, Duration.ofMillis(20),
                    () -> applied(dbs), n -> n > before);
            Thread.sleep(random.nextInt(2000));
            long atKill = applied(dbs);
            worker.killAndAwait("apply", RECOVERY, () -> applied(dbs) > atKill,
                    () -> PendingActivities.of(temporal, streamId));
        }
    }

    /** Changes the stream has committed on the target (0 before its position table exists). */
    private static long applied(OrdersDatabases dbs) throws Exception {
        if (dbs.scalar(dbs.targetUrl, "select to_regclass('runbook_stream_positions')::text") == null) {
            return 0;
        }
        String n = dbs.scalar(dbs.targetUrl, "select coalesce(sum(changes_applied), 0) from runbook_stream_positions");
        return Long.parseLong(n);
    }

    /** Target == source by md5, the order count the application expects on both, none lost, none twice. */
    private static String assertEqual(OrdersDatabases dbs, LiveWrites writes) throws Exception {
        long source = Long.parseLong(dbs.scalar(dbs.legacyUrl, "select count(*) from orders"));
        long target = dbs.targetRows();
        long distinct = Long.parseLong(dbs.scalar(dbs.targetUrl, "select count(distinct id) from orders_v2"));
        String sourceMd5 = dbs.legacyChecksum();
        assertThat(dbs.targetChecksum()).as("target md5 == source md5").isEqualTo(sourceMd5);
        assertThat(source).as("orders on the source, as the application counted its acknowledged writes")
                .isEqualTo(writes.expectedOrders());
        long lost = source - distinct;
        long duplicated = target - distinct;
        assertThat(lost).as("rows lost").isZero();
        assertThat(duplicated).as("rows duplicated").isZero();
        return "target md5 == source md5 (" + sourceMd5.substring(0, 8) + "), " + DrillReport.count(target)
                + " orders as the application counted, " + lost + " lost, " + duplicated + " duplicated";
    }
}
