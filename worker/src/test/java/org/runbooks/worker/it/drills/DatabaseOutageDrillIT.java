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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takes the target database away in the middle of a backfill: the target lives on a PostgreSQL cluster of the
 * drill's own, stopped (fast shutdown) and started again. The copy's activity must retry with backoff and the runbook
 * complete with target == source. While the database is down, the failed attempts show in
 * {@code temporal workflow describe} of the phase (pending activity, attempt, last failure) and in README's
 * {@code status} query as {@code trouble} (phase, step, attempt, the error naming the connection, since when), which
 * clears once the copy moves again.
 */
@ExtendWith(DrillReport.Watcher.class)
class DatabaseOutageDrillIT {

    private static final int CHUNK_ROWS = 5_000;

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("database-outage")
    void copyRetriesThroughATargetOutageAndCompletes() throws Exception {
        int rows = size.pick(60_000, 1_000_000);
        Duration down = size.pick(Duration.ofSeconds(10), Duration.ofSeconds(30));
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-database-outage", ServerRestartDrillIT.THROTTLED);
        PendingActivities.Pending retrying;
        JsonNode statusWhileDown;
        JsonNode statusAfter;
        Instant stopped;
        Duration resumedAfter;
        String equal;
        try (PostgresCluster cluster = PostgresCluster.start(services.pgUser())) {
            OrdersDatabases dbs = new OrdersDatabases(services, "drill_outage", rows, cluster.url());
            WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl);
            try (WorkerProcess ignored = WorkerProcess.start(settings, "drill-worker-database-outage.log")) {
                run.start();
                long before = Progress.awaitChunks(dbs, 2);
                assertThat(before * CHUNK_ROWS).as("the database stops mid-copy").isLessThan(rows);
                stopped = Instant.now();
                cluster.stopServer();
                retrying = Awaits.until("a failed attempt of the copy to show in describe", down,
                        Duration.ofMillis(500), () -> PendingActivities.of(temporal, run.workflowId() + "/backfill")
                                .retrying(), Optional::isPresent).orElseThrow();
                Awaits.until("status to show the outage", down, Duration.ofMillis(250),
                        () -> Progress.status(temporal, run), DatabaseOutageDrillIT::inTrouble);
                Thread.sleep(Math.max(0, down.minus(Duration.between(stopped, Instant.now())).toMillis()));
                statusWhileDown = Progress.status(temporal, run);
                retrying = PendingActivities.of(temporal, run.workflowId() + "/backfill").retrying().orElse(retrying);
                cluster.startServer();
                Instant back = Instant.now();
                long atRestart = Progress.chunks(dbs);
                Awaits.until("the copy to commit a chunk after the outage", Progress.LONG, Duration.ofMillis(100),
                        () -> Progress.chunks(dbs), n -> n > atRestart || n * CHUNK_ROWS >= rows);
                resumedAfter = Duration.between(back, Instant.now());
                statusAfter = Progress.await(temporal, run, "clear the trouble once the copy moves again",
                        status -> !inTrouble(status));
                assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
                equal = CopiedRows.assertExact(dbs, rows);
            } finally {
                run.terminateIfOpen();
            }
        }
        assertThat(retrying.attempt()).as("attempts while the database was down").isGreaterThan(1);
        assertThat(retrying.lastFailure()).as("the last failure names the connection trouble")
                .containsAnyOf("Connection", "connection", "terminating");
        JsonNode trouble = statusWhileDown.at("/trouble");
        assertThat(inTrouble(statusWhileDown)).as("status shows the outage while it lasts: " + statusWhileDown)
                .isTrue();
        assertThat(statusWhileDown.at("/state").asText()).isEqualTo("RUNNING");
        assertThat(trouble.at("/phase").asText()).isEqualTo("backfill");
        assertThat(trouble.at("/step").asText()).isEqualTo("copy-orders");
        assertThat(trouble.at("/attempt").asInt()).as("attempts shown in status").isGreaterThan(1);
        assertThat(trouble.at("/error").asText()).as("the reason names the connection")
                .startsWith("connection 'target' is unreachable: ").contains("SQLState 08");
        assertThat(Instant.parse(trouble.at("/since").asText())).as("since the database stopped")
                .isBetween(stopped.minusSeconds(5), stopped.plus(down));
        assertThat(statusAfter.at("/trouble").isNull() || statusAfter.at("/trouble").isMissingNode()).isTrue();
        DrillReport.passed("database-outage", size, DrillReport.count(rows) + " rows; target PostgreSQL stopped "
                + DrillReport.seconds(down) + " mid-copy", "COMPLETED; " + equal + "; copy committed again "
                + DrillReport.seconds(resumedAfter) + " after the database came back; describe of the backfill phase "
                + "showed " + retrying.type() + " attempt " + retrying.attempt() + " lastFailure \""
                + retrying.lastFailure() + "\"; status while it was down: state="
                + statusWhileDown.at("/state").asText() + " step=" + statusWhileDown.at("/step").asText()
                + " trouble=" + trouble + "; the trouble cleared once the copy moved again");
    }

    /** Whether status shows a step in trouble (null or absent: none). */
    private static boolean inTrouble(JsonNode status) {
        JsonNode trouble = status.at("/trouble");
        return !trouble.isMissingNode() && !trouble.isNull();
    }
}
