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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILLs the worker process at random moments in the copy, the validation, a gate wait and a rollback's
 * compensation, starting a new one each time. Approved runs must end with target == source (an md5 of the ordered
 * rows computed by PostgreSQL) and no row lost or written twice; a rejected run must undo everything.
 * The random moments come from a seed that the figures print; {@code -Drunbooks.drills.seed=N} replays them.
 * The full drill kills the copy 9 times: each kill costs the running copy activity one of the 10 attempts its retry
 * policy allows ({@code -Drunbooks.drills.copyKills=N} kills it N times).
 */
@ExtendWith(DrillReport.Watcher.class)
class WorkerKillDrillIT {

    private static final String RUNBOOK = "worker/src/test/resources/drill-runbooks/kill-drill.yaml";
    private static final int CHUNK_ROWS = 5_000;
    /** Longest a killed step may take to go on: the 10 s heartbeat timeout, a retry backoff of up to 30 s, a start. */
    private static final Duration RECOVERY = Duration.ofMinutes(2);

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);
    private final long seed = Long.getLong("runbooks.drills.seed", new Random().nextLong());
    private final Random random = new Random(seed);

    @Test
    @DisplayName("worker-kill")
    void killsDuringTheCopyAndAtTheGateLoseNothingAndWriteNothingTwice() throws Exception {
        int rows = size.pick(100_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_kill", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-kill-copy", RUNBOOK);
        int copyKills = Integer.getInteger("runbooks.drills.copyKills", size.pick(2, 9));
        int gateKills = size.pick(1, 4);
        KillableWorker worker = KillableWorker.start(settings(dbs), "drill-worker-kill.log");
        try (worker) {
            run.start();
            killDuringCopy(worker, dbs, run, rows, copyKills);
            killAtGate(worker, run, gateKills);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        } finally {
            run.terminateIfOpen();
        }
        String equal = CopiedRows.assertExact(dbs, rows);
        assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
        assertThat(worker.kills("copy")).as("kills that landed in the copy of %d chunks", rows / CHUNK_ROWS)
                .isEqualTo(copyKills);
        DrillReport.passed("worker-kill", size, DrillReport.count(rows) + " rows; " + worker.kills() + " SIGKILLs ("
                + worker.killsByPlace() + "); seed " + seed, "COMPLETED; " + equal + "; longest kill-to-resume: "
                + worker.longestRecoveries() + "; longest worker start " + DrillReport.seconds(worker.longestStart()));
    }

    @Test
    @DisplayName("worker-kill-validation")
    void killsDuringTheValidationAreRetriedAndTheRunbookCompletes() throws Exception {
        int rows = size.pick(50_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_kill_validate", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-kill-validation", RUNBOOK);
        int validationKills = size.pick(1, 4);
        KillableWorker worker = KillableWorker.start(settings(dbs), "drill-worker-kill-validation.log");
        try (worker) {
            run.start();
            killDuringValidation(worker, run, validationKills);
            awaitGate(run);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        } finally {
            run.terminateIfOpen();
        }
        String equal = CopiedRows.assertExact(dbs, rows);
        assertThat(worker.kills()).as("kills that landed in the validation").isEqualTo(validationKills);
        DrillReport.passed("worker-kill-validation", size, DrillReport.count(rows) + " rows; " + worker.kills()
                + " SIGKILLs (" + worker.killsByPlace() + "); seed " + seed, "COMPLETED; " + equal
                + "; longest kill-to-resume: " + worker.longestRecoveries());
    }

    @Test
    @DisplayName("worker-kill-rollback")
    void killsDuringTheCompensationsStillUndoEverything() throws Exception {
        int rows = size.pick(50_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_kill_rollback", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-kill-rollback", RUNBOOK);
        int compensationKills = size.pick(1, 4);
        KillableWorker worker = KillableWorker.start(settings(dbs), "drill-worker-kill-rollback.log");
        JsonNode result;
        try (worker) {
            run.start();
            awaitGate(run);
            run.reject("go-no-go", "orders-owner", "drill: roll back under fire");
            killDuringCompensation(worker, run, compensationKills);
            result = run.result();
        } finally {
            run.terminateIfOpen();
        }
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/compensations")).hasSize(3)
                .allSatisfy(c -> assertThat(c.at("/succeeded").asBoolean()).as(c.toString()).isTrue());
        assertThat(dbs.targetRows()).as("copied rows removed").isZero();
        assertThat(dbs.flagPercent("orders.read_v2")).as("canary flag removed").isNull();
        assertThat(dbs.scalar(dbs.targetUrl, "select to_regclass('orders_read')::text")).as("view reverted").isNull();
        assertThat(worker.kills()).as("kills that landed in a revert").isEqualTo(compensationKills);
        DrillReport.passed("worker-kill-rollback", size, DrillReport.count(rows) + " rows; " + worker.kills()
                + " SIGKILLs (" + worker.killsByPlace() + "); seed " + seed, "ROLLED_BACK; 3 of 3 compensations "
                + "succeeded: 0 rows left, flag removed, view dropped; longest kill-to-resume: "
                + worker.longestRecoveries());
    }

    private WorkerProcess.Settings settings(OrdersDatabases dbs) {
        return WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl);
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
                    () -> PendingActivities.of(temporal, run.workflowId() + "/backfill"));
        }
    }

    /** Each kill lands up to 2 s into an attempt of the validation (whose KPIs take 3 s on each side). */
    private void killDuringValidation(KillableWorker worker, ScenarioRun run, int kills) throws Exception {
        killDuringActivity(worker, run.workflowId() + "/validate", "Compare", "validation", kills,
                () -> Progress.status(temporal, run).at("/evidence").size() > 0);
    }

    /** Kills while the gate waits; each new worker must find the same gate waiting. */
    private void killAtGate(KillableWorker worker, ScenarioRun run, int kills) throws Exception {
        awaitGate(run);
        for (int i = 0; i < kills; i++) {
            Thread.sleep(random.nextInt(2000));
            worker.killAndAwait("gate", RECOVERY,
                    () -> "go-no-go".equals(Progress.status(temporal, run).at("/gate/gate").asText()),
                    () -> Progress.status(temporal, run));
        }
    }

    /**
     * The rollback restores the flag, then reverts the view (a revert that sleeps 7 s), then removes the copied rows;
     * each kill lands up to 2 s into an attempt of the revert.
     */
    private void killDuringCompensation(KillableWorker worker, ScenarioRun run, int kills) throws Exception {
        killDuringActivity(worker, run.workflowId(), "RunSql", "compensation", kills,
                () -> "ROLLED_BACK".equals(Progress.state(temporal, run)));
    }

    /**
     * Waits for an attempt of {@code activity} to run (as {@code describe} of {@code workflowId} shows it), kills the
     * worker up to 2 s into it, and counts the work as resumed once a later attempt runs or {@code finished} holds.
     */
    private void killDuringActivity(KillableWorker worker, String workflowId, String activity, String where,
                                    int kills, Awaits.Probe<Boolean> finished) throws Exception {
        int killed = 0;
        for (int i = 0; i < kills && !finished.get(); i++) {
            int after = killed;
            killed = Awaits.until("an attempt of " + activity + " to run", Progress.LONG, Duration.ofMillis(200),
                    () -> attemptRunning(workflowId, activity), attempt -> attempt > after);
            Thread.sleep(random.nextInt(2000));
            int last = killed;
            worker.killAndAwait(where, RECOVERY, () -> attemptRunning(workflowId, activity) > last || finished.get(),
                    () -> PendingActivities.of(temporal, workflowId));
        }
    }

    /** The attempt of {@code activity} that a worker runs now, or 0. */
    private int attemptRunning(String workflowId, String activity) throws Exception {
        return PendingActivities.of(temporal, workflowId).activities().stream()
                .filter(a -> a.type().equals(activity) && a.state().equals("PENDING_ACTIVITY_STATE_STARTED"))
                .mapToInt(PendingActivities.Pending::attempt).max().orElse(0);
    }

    private void awaitGate(ScenarioRun run) throws Exception {
        Progress.awaitState(temporal, run, "AWAITING_APPROVAL");
    }
}
