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
import java.util.HashSet;
import java.util.Set;

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
    /**
     * Longest a killed step may take to go on: its heartbeat timeout (10 s for a copy or a compensation, 30 s for a
     * validation), a retry backoff of up to 30 s, a worker start.
     */
    private static final Duration RECOVERY = Duration.ofMinutes(2);

    /**
     * The validation's KPI query and the view's revert, as PostgreSQL shows them while they run; the revert (12 s)
     * outlasts the compensation's 10 s heartbeat timeout.
     */
    private static final String SLOW_KPI = "SELECT count(*) FROM orders%, pg_sleep(3)";
    private static final String SLOW_REVERT = "SELECT pg_sleep(12)%";

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);
    private final KillMoments moments = new KillMoments();

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
                + worker.killsByPlace() + "); seed " + moments.seed, "COMPLETED; " + equal + "; longest kill-to-resume: "
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
            killDuringValidation(worker, dbs, run, validationKills);
            awaitGate(run);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        } finally {
            run.terminateIfOpen();
        }
        String equal = CopiedRows.assertExact(dbs, rows);
        assertThat(worker.kills()).as("kills that landed in the validation").isEqualTo(validationKills);
        DrillReport.passed("worker-kill-validation", size, DrillReport.count(rows) + " rows; " + worker.kills()
                + " SIGKILLs (" + worker.killsByPlace() + "); seed " + moments.seed, "COMPLETED; " + equal
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
            killDuringCompensation(worker, dbs, run, compensationKills);
            killDuringRemoval(worker, dbs, run);
            result = run.result();
        } finally {
            run.terminateIfOpen();
        }
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/compensations")).hasSize(3)
                .allSatisfy(c -> assertThat(c.at("/succeeded").asBoolean()).as(c.toString()).isTrue());
        assertThat(dbs.targetRows()).as("copied rows removed").isZero();
        assertThat(result.at("/result/compensations/2/detail").asText()).as("the removal resumed, counting once")
                .isEqualTo("deleted " + rows + " of " + rows + " copied rows from target.orders_v2 (keys [1] to ["
                        + rows + "])");
        assertThat(dbs.flagPercent("orders.read_v2")).as("canary flag removed").isNull();
        assertThat(dbs.scalar(dbs.targetUrl, "select to_regclass('orders_read')::text")).as("view reverted").isNull();
        assertThat(worker.kills("compensation")).as("kills that landed in a revert").isEqualTo(compensationKills);
        assertThat(worker.kills("removal")).as("kills that landed in the batched delete").isEqualTo(1);
        DrillReport.passed("worker-kill-rollback", size, DrillReport.count(rows) + " rows; " + worker.kills()
                + " SIGKILLs (" + worker.killsByPlace() + "); seed " + moments.seed, "ROLLED_BACK; 3 of 3 compensations "
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
            long target = Progress.chunks(dbs) + 1 + moments.next(2);
            if (target >= lastChunk - 1) {
                break;
            }
            Progress.awaitChunks(dbs, target);
            moments.pause(300);
            long atKill = Progress.chunks(dbs);
            worker.killAndAwait("copy", RECOVERY, () -> Progress.chunks(dbs) > atKill,
                    () -> PendingActivities.of(temporal, run.workflowId() + "/backfill"));
        }
    }

    /** Each kill lands up to 2 s into an attempt of the validation, while its slow KPI query runs (3 s a side). */
    private void killDuringValidation(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int kills)
            throws Exception {
        killDuringAttempts(worker, "validation", kills, () -> activeQueries(dbs, SLOW_KPI),
                () -> Progress.status(temporal, run).at("/evidence").size() > 0,
                () -> PendingActivities.of(temporal, run.workflowId() + "/validate"));
    }

    /** Kills while the gate waits; each new worker must find the same gate waiting. */
    private void killAtGate(KillableWorker worker, ScenarioRun run, int kills) throws Exception {
        awaitGate(run);
        for (int i = 0; i < kills; i++) {
            moments.pause(2000);
            worker.killAndAwait("gate", RECOVERY,
                    () -> "go-no-go".equals(Progress.status(temporal, run).at("/gate/gate").asText()),
                    () -> Progress.status(temporal, run));
        }
    }

    /**
     * The rollback restores the flag, then reverts the view (a revert that sleeps 12 s), then removes the copied rows;
     * each kill lands up to 2 s into an attempt of the revert.
     */
    private void killDuringCompensation(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int kills)
            throws Exception {
        killDuringAttempts(worker, "compensation", kills, () -> activeQueries(dbs, SLOW_REVERT),
                () -> "ROLLED_BACK".equals(Progress.state(temporal, run)),
                () -> PendingActivities.of(temporal, run.workflowId()));
    }

    /**
     * Kills the worker once the removal of the copied rows has committed a few of its batches, and counts it as
     * resumed once another batch commits or the runbook is rolled back.
     */
    private void killDuringRemoval(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run) throws Exception {
        Awaits.until("the removal of the copied rows to commit batches", Progress.LONG, Duration.ofMillis(20),
                () -> removalBatches(dbs), batches -> batches >= 2);
        long atKill = removalBatches(dbs);
        worker.killAndAwait("removal", RECOVERY, () -> removalBatches(dbs) > atKill
                || "ROLLED_BACK".equals(Progress.state(temporal, run)), () -> PendingActivities.of(temporal,
                run.workflowId()));
    }

    /** Batches the rollback's removal has committed, as its checkpoints on the target record them. */
    private static long removalBatches(OrdersDatabases dbs) {
        try {
            String batches = dbs.scalar(dbs.targetUrl, "select coalesce(sum(batches), 0) from runbook_copy_removals");
            return batches == null ? 0 : Long.parseLong(batches);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    /**
     * Waits for an attempt to run (a database backend, found by {@code running}, that no earlier attempt used), kills
     * the worker up to 2 s into it, and counts the work as resumed once a new backend runs it or {@code finished}
     * holds. Backends are watched in PostgreSQL rather than through the CLI because a CLI call can take seconds on a
     * loaded machine, longer than the window.
     */
    private void killDuringAttempts(KillableWorker worker, String where, int kills, Awaits.Probe<Set<String>> running,
                                    Awaits.Probe<Boolean> finished, Awaits.Probe<Object> diagnosis) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < kills && !finished.get(); i++) {
            Awaits.until("an attempt of the " + where + " to run", Progress.LONG, Duration.ofMillis(50), running,
                    pids -> !seen.containsAll(pids));
            moments.pause(2000);
            seen.addAll(running.get());
            worker.killAndAwait(where, RECOVERY, () -> !seen.containsAll(running.get()) || finished.get(), diagnosis);
        }
    }

    /** Backends (by pid) of the test server that are running a query like {@code pattern} right now. */
    private static Set<String> activeQueries(OrdersDatabases dbs, String pattern) throws Exception {
        String pids = dbs.scalar(dbs.legacyUrl, "select coalesce(string_agg(pid::text, ','), '') from pg_stat_activity"
                + " where state = 'active' and pid <> pg_backend_pid() and query like '" + pattern.replace("'", "''")
                + "'");
        return pids.isEmpty() ? Set.of() : Set.of(pids.split(","));
    }

    private void awaitGate(ScenarioRun run) throws Exception {
        Progress.awaitState(temporal, run, "AWAITING_APPROVAL");
    }
}
