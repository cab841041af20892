package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILLs the worker process at random moments in the copy, the validation, a gate wait and a rollback's
 * compensation, starting a new one each time. One run is approved and must end with target == source (an md5 of the
 * ordered rows computed by PostgreSQL), no row lost or written twice; a second is rejected and must undo everything.
 * The random moments come from a seed that the figures print; {@code -Drunbooks.drills.seed=N} replays them.
 */
@ExtendWith(DrillReport.Watcher.class)
class WorkerKillDrillIT {

    private static final String RUNBOOK = "worker/src/test/resources/drill-runbooks/kill-drill.yaml";
    private static final int CHUNK_ROWS = 10_000;
    /** Longest a killed step may take to go on: the 10 s heartbeat timeout, a retry backoff of up to 30 s, a start. */
    private static final Duration RECOVERY = Duration.ofMinutes(3);
    /** Longest the approved run may take to reach its gate once the kills are over. */
    private static final Duration TO_GATE = Duration.ofMinutes(10);
    private static final String SLOW_KPI = "SELECT count(*) FROM orders%, pg_sleep(3)";
    private static final String SLOW_REVERT = "SELECT pg_sleep(3)%";

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);
    private final long seed = Long.getLong("runbooks.drills.seed", new Random().nextLong());
    private final Random random = new Random(seed);

    @Test
    void killedWorkersLoseNothingInTheCopyValidationGateOrCompensation() throws Exception {
        int rows = size.pick(50_000, 1_000_000);
        OrdersDatabases approved = new OrdersDatabases(services, "drill_kill", rows);
        OrdersDatabases rejected = new OrdersDatabases(services, "drill_kill_rb", rows);
        ScenarioRun first = ScenarioRun.ofFile(temporal, "drill-kill-approved", RUNBOOK);
        ScenarioRun second = ScenarioRun.ofFile(temporal, "drill-kill-rejected", RUNBOOK);

        KillableWorker worker = KillableWorker.start(settings(approved), "drill-worker-kill.log");
        try (worker) {
            first.start();
            killDuringCopy(worker, approved, first, rows, size.pick(1, 8));
            killDuringValidation(worker, approved, first, size.pick(1, 4));
            killAtGate(worker, first, size.pick(1, 4));
            first.approve("go-no-go", "dba-oncall");
            assertThat(first.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
        long lost = Long.parseLong(approved.scalar(approved.legacyUrl, "select count(*) from orders"))
                - Long.parseLong(approved.scalar(approved.targetUrl, "select count(distinct id) from orders_v2"));
        long duplicated = approved.targetRows()
                - Long.parseLong(approved.scalar(approved.targetUrl, "select count(distinct id) from orders_v2"));
        String audited = approved.scalar(approved.targetUrl, "select sum(row_count) from runbook_copy_chunks");
        assertThat(approved.targetChecksum()).as("target md5 == source md5").isEqualTo(approved.legacyChecksum());
        assertThat(approved.targetRows()).isEqualTo(rows);
        assertThat(lost).as("rows lost").isZero();
        assertThat(duplicated).as("rows duplicated").isZero();
        assertThat(audited).as("rows the chunk audit says were written: none twice").isEqualTo(String.valueOf(rows));
        assertThat(approved.flagPercent("orders.read_v2")).isEqualTo(100);

        KillableWorker undoing = KillableWorker.start(settings(rejected), "drill-worker-kill-rollback.log");
        JsonNode rolledBack;
        try (undoing) {
            second.start();
            awaitGate(second);
            second.reject("go-no-go", "orders-owner", "drill: roll back under fire");
            killDuringCompensation(undoing, rejected, second, size.pick(1, 4));
            rolledBack = second.result();
        }
        assertThat(rolledBack.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rolledBack.at("/result/compensations")).hasSize(3)
                .allSatisfy(c -> assertThat(c.at("/succeeded").asBoolean()).as(c.toString()).isTrue());
        assertThat(rejected.targetRows()).as("copied rows removed").isZero();
        assertThat(rejected.flagPercent("orders.read_v2")).as("canary flag removed").isNull();
        assertThat(rejected.scalar(rejected.targetUrl, "select to_regclass('orders_read')::text")).isNull();

        int kills = worker.kills() + undoing.kills();
        assertThat(kills).isGreaterThanOrEqualTo(size.pick(3, 20));
        DrillReport.passed(getClass(), size, "2 runbooks of " + DrillReport.count(rows) + " rows; " + kills
                + " SIGKILLs (" + worker.killsByPlace() + ", " + undoing.killsByPlace() + "); seed " + seed,
                "approved run COMPLETED: target md5 == source md5, " + DrillReport.count(approved.targetRows())
                        + " rows, " + lost + " lost, " + duplicated + " duplicated, chunk audit "
                        + DrillReport.count(Long.parseLong(audited)) + " rows; rejected run ROLLED_BACK: 3 of 3 "
                        + "compensations succeeded, 0 rows left, flag and view undone; longest kill-to-resume: "
                        + worker.longestRecoveries() + ", " + undoing.longestRecoveries()
                        + "; longest worker start " + DrillReport.seconds(worker.longestStart()));
    }

    private WorkerProcess.Settings settings(OrdersDatabases dbs) {
        return WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl);
    }

    /**
     * Each kill lands after 1 to 3 more chunks have committed and a random pause of up to 300 ms, never on the last
     * chunk, so it hits a copy in flight; the copy has resumed when one more chunk commits.
     */
    private void killDuringCopy(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int rows, int kills)
            throws Exception {
        Awaits.targetSql(dbs, "select to_regclass('runbook_copy_chunks')::text", v -> v != null);
        long lastChunk = rows / CHUNK_ROWS;
        for (int i = 0; i < kills; i++) {
            long target = chunks(dbs) + 1 + random.nextInt(3);
            if (target >= lastChunk - 1) {
                break;
            }
            Awaits.until("chunk " + target + " to commit", RECOVERY, Duration.ofMillis(20), () -> chunks(dbs),
                    n -> n >= target);
            Thread.sleep(random.nextInt(300));
            long atKill = chunks(dbs);
            worker.killAndAwait("copy", RECOVERY, () -> chunks(dbs) > atKill,
                    () -> PendingActivities.of(temporal, run.workflowId() + "/backfill"));
        }
    }

    /**
     * The validation is running while its slow KPI query is active; each kill lands up to 2.5 s into it, and the
     * validation has resumed when a new backend runs that query (or it has passed).
     */
    private void killDuringValidation(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int kills)
            throws Exception {
        Set<String> seen = new HashSet<>();
        Awaits.until("the validation's slow KPI to run", TO_GATE, Duration.ofMillis(50),
                () -> activeQueries(dbs, SLOW_KPI), pids -> !pids.isEmpty());
        for (int i = 0; i < kills; i++) {
            Thread.sleep(random.nextInt(2500));
            seen.addAll(activeQueries(dbs, SLOW_KPI));
            worker.killAndAwait("validation", RECOVERY, () -> !seen.containsAll(activeQueries(dbs, SLOW_KPI))
                            || validated(run),
                    () -> PendingActivities.of(temporal, run.workflowId() + "/validate"));
            if (validated(run)) {
                break;
            }
        }
    }

    private boolean validated(ScenarioRun run) throws Exception {
        JsonNode status = Awaits.status(temporal, run.statusCommand(), s -> true);
        return status.at("/evidence").size() > 0;
    }

    /** Kills while the gate waits; each new worker must find the same gate waiting. */
    private void killAtGate(KillableWorker worker, ScenarioRun run, int kills) throws Exception {
        awaitGate(run);
        for (int i = 0; i < kills; i++) {
            Thread.sleep(random.nextInt(2000));
            worker.killAndAwait("gate", RECOVERY, () -> "go-no-go".equals(
                    Awaits.status(temporal, run.statusCommand(), s -> true).at("/gate/gate").asText()),
                    () -> Awaits.status(temporal, run.statusCommand(), s -> true));
        }
    }

    /**
     * The rollback undoes the flag, then reverts the view (a revert that sleeps 3 s), then removes the copied rows;
     * each kill lands up to 2.5 s into a revert attempt, which has resumed when a new backend runs it again (or the
     * rollback has finished).
     */
    private void killDuringCompensation(KillableWorker worker, OrdersDatabases dbs, ScenarioRun run, int kills)
            throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < kills; i++) {
            Awaits.until("a revert attempt to run", RECOVERY, Duration.ofMillis(50),
                    () -> activeQueries(dbs, SLOW_REVERT), pids -> !seen.containsAll(pids) && !pids.isEmpty());
            Thread.sleep(random.nextInt(2500));
            seen.addAll(activeQueries(dbs, SLOW_REVERT));
            worker.killAndAwait("compensation", RECOVERY, () -> !seen.containsAll(activeQueries(dbs, SLOW_REVERT))
                            || "ROLLED_BACK".equals(stateOf(run)),
                    () -> PendingActivities.of(temporal, run.workflowId()));
        }
    }

    private String stateOf(ScenarioRun run) throws Exception {
        return Awaits.status(temporal, run.statusCommand(), s -> true).at("/state").asText();
    }

    private void awaitGate(ScenarioRun run) throws Exception {
        Awaits.until(run.workflowId() + " to wait at its gate", TO_GATE, Duration.ofMillis(500), () -> stateOf(run),
                "AWAITING_APPROVAL"::equals);
    }

    private static long chunks(OrdersDatabases dbs) throws Exception {
        return Long.parseLong(dbs.scalar(dbs.targetUrl, "select count(*) from runbook_copy_chunks"));
    }

    /** Backends (by pid) of either database that are running a query like {@code pattern} right now. */
    private static Set<String> activeQueries(OrdersDatabases dbs, String pattern) throws Exception {
        String pids = dbs.scalar(dbs.legacyUrl, "select coalesce(string_agg(pid::text, ','), '') from pg_stat_activity"
                + " where state = 'active' and pid <> pg_backend_pid() and query like '" + pattern.replace("'", "''")
                + "'");
        return pids.isEmpty() ? Set.of() : Set.of(pids.split(","));
    }
}
